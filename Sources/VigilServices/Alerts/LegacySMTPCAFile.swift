import Logging
import VigilCore

extension NotificationChannelSpec {
    private static let logger = Logger(label: "vigil.delivery")

    /// The CA bundle to deliver with. A row saved before named bundles may still carry a free
    /// `smtp_ca_file` path: it is ignored (a tenant-chosen path on the worker is what bundles
    /// replaced) and logged, without the path, so the operator can ask the tenant to pick a bundle.
    var smtpCABundleForDelivery: String? {
        if legacySMTPCAFile != nil {
            Self.logger.warning("ignoring the retired smtp_ca_file of an email channel; set smtp_ca_bundle instead",
                                metadata: ["channel": "\(name.prefix(100))"])
        }
        return smtpCABundle
    }
}
