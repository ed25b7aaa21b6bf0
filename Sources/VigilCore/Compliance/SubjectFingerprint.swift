import VigilPrimitives

/// A salted fingerprint of a data subject's identifiers, for documents that must say which
/// person they concern without containing the person's data (erasure certificates, the
/// manifest of an erasure report).
///
/// `hmac-sha256:<64 hex>` = HMAC-SHA256(salt, canonical identifiers). The identifiers are
/// canonicalised first (email lower-cased, IP in normal form, custom pairs sorted) and encoded
/// length-prefixed, so the same person gives the same fingerprint under the same salt whatever
/// the spelling of the request. With the salt kept by the controller (not in the certificate),
/// whoever holds the salt and the identifiers can show the certificate is about that person,
/// while the certificate alone reveals nothing (emails are guessable; an unsalted hash is not
/// anonymous).
public enum SubjectFingerprint {
    public static let prefix = "hmac-sha256:"

    public static func make(subject: DataSubject, salt: [UInt8]) -> String {
        prefix + SHA256Hex.hmac(key: salt, message: canonicalBytes(subject.trimmed))
    }

    static func canonicalBytes(_ subject: DataSubject) -> [UInt8] {
        var bytes = LengthPrefixed(.uint32BigEndian)
        bytes.append("vigil-subject-v1")
        if let userID = subject.userID {
            bytes.append("user_id")
            bytes.append(userID)
        }
        if let email = subject.email {
            bytes.append("email")
            bytes.append(DataSubject.canonicalEmail(email))
        }
        if let ip = subject.ip {
            bytes.append("ip")
            bytes.append(DataSubject.canonicalIP(ip) ?? ip)
        }
        for key in subject.custom.keys.sorted() {
            bytes.append("custom." + key)
            bytes.append(subject.custom[key]!)
        }
        return bytes.bytes
    }
}
