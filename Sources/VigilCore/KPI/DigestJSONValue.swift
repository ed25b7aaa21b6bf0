/// The digest's JSON is written with the notifications' deterministic writer (`NotifyJSON`: keys
/// sorted by UTF-8 bytes, no whitespace, fractional numbers via `.number`), so the same digest
/// always gives the same bytes and a stable hash in the delivery ledger.
typealias DigestJSONValue = NotifyJSON
