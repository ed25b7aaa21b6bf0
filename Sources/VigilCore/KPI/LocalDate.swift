import VigilPrimitives

/// A calendar date with no time zone: the name of a local day (KPI periods, SLO months, digest
/// days). It is the shared `CivilDate`, so KPI days count exactly as the cron scheduler and
/// every timestamp formatter do; the KPI name stays because it says which zone the day is in:
/// the workspace's.
public typealias LocalDate = CivilDate
