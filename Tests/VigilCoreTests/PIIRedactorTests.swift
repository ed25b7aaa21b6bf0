import Testing
import VigilCore

/// Table-driven corpus for the PII redactor in mask mode: each case is (input, expected output).
/// Near-misses expect their input back unchanged.
enum PIICorpus {
    static let emails: [(String, String)] = [
        ("alice@example.com", "[EMAIL]"),
        ("Alice.Smith+tag@Example.co.uk", "[EMAIL]"),
        ("USER@EXAMPLE.COM", "[EMAIL]"),
        ("user alice@example.com logged in", "user [EMAIL] logged in"),
        ("mailto:bob@example.org", "mailto:[EMAIL]"),
        ("<carol_1@mail.example.io>", "<[EMAIL]>"),
        ("from=dave%ops@example.net", "from=[EMAIL]"),
        ("a@b.co", "[EMAIL]"),
        ("first.last@sub.domain.example.com.", "[EMAIL]."),
        ("x@example.com,y@example.org", "[EMAIL],[EMAIL]"),
        ("josé@exämple.de", "[EMAIL]"),
        ("name@example.xn--p1ai", "[EMAIL]"),
        ("/api/users/alice@example.com/profile", "/api/users/[EMAIL]/profile"),
        ("名前 alice@example.com 🚀", "名前 [EMAIL] 🚀"),
        ("git@github.com:org/repo.git", "[EMAIL]:org/repo.git"),
        ("a@b.com.c@d.com", "[EMAIL].[EMAIL]"),
    ]

    static let emailNearMisses = [
        "user@", "@handle", "user@localhost", "lodash@4.17.21", "example.com", "a@b.c", "foo@bar",
        "@scope/pkg@1.2.3", "me at example dot com", "user@@example.com", "nginx@sha256:abc123def", ".@example.com",
    ]

    static let ips: [(String, String)] = [
        ("10.0.0.1", "[IP]"),
        ("1.2.3.4", "[IP]"),
        ("192.168.1.254:8080", "[IP]:8080"),
        ("client 203.0.113.7 connected", "client [IP] connected"),
        ("10.0.0.0/8", "[IP]/8"),
        ("x-forwarded-for=198.51.100.23, 10.1.2.3", "x-forwarded-for=[IP], [IP]"),
        ("255.255.255.255", "[IP]"),
        ("0.0.0.0", "[IP]"),
        ("(172.16.0.10)", "([IP])"),
        ("10.0.0.1-10.0.0.255", "[IP]-[IP]"),
        ("ip-10-0-1-23.ec2.internal", "ip-[IP].ec2.internal"),
        ("IP-172-31-5-9", "IP-[IP]"),
        ("2001:db8::1", "[IP]"),
        ("fe80::1%eth0", "[IP]%eth0"),
        ("[2001:db8::1]:443", "[[IP]]:443"),
        ("::1", "[IP]"),
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[IP]"),
        ("::ffff:192.168.1.1", "[IP]"),
        ("client=2001:db8:0:0:1:0:0:1", "client=[IP]"),
        ("addr: fe80::abcd", "addr: [IP]"),
        ("addr:fe80::1", "addr:[IP]"),
        ("FE80::ABCD:1", "[IP]"),
        ("2001:db8::", "[IP]"),
        ("peer 10.0.0.1.", "peer [IP]."),
        ("/hosts/10.0.0.1", "/hosts/[IP]"),
        ("https://example.com/10.0.0.1", "https://example.com/[IP]"),
    ]

    static let ipNearMisses = [
        "1.2.3.4-beta", "1.2.3.4+build.5", "v1.2.3.4", "1.2.3", "256.1.1.1", "1.2.3.4.5", "999.999.999.999",
        "1.3.6.1.4.1.2021", "version 2.0.0.0a", "10.0.0", "3.14159", "ip-10-0-1", "ip-300-1-1-1",
        "05:00:00", "12:30", "10:30:15.123", "std::vector", "Foo::Bar", "Cache::add", "00:1a:2b:3c:4d:5e", "a:b:c",
        "::", "1:2:3:4:5:6:7", "2001:db8:::1", "dead:beef", "env:prod", "arn:aws:iam::123456789012:role/x",
    ]

    static let cards: [(String, String)] = [
        ("4111111111111111", "[CARD]"),
        ("4111 1111 1111 1111", "[CARD]"),
        ("4111-1111-1111-1111", "[CARD]"),
        ("card=5555555555554444", "card=[CARD]"),
        ("378282246310005", "[CARD]"),
        ("3782 822463 10005", "[CARD]"),
        ("6011111111111117", "[CARD]"),
        ("3530111333300000", "[CARD]"),
        ("30569309025904", "[CARD]"),
        ("2223003122003222", "[CARD]"),
        ("4242 4242 4242 4242 exp 12/26", "[CARD] exp 12/26"),
        ("4000056655665556", "[CARD]"),
        ("paid with 5105105105105100 ok", "paid with [CARD] ok"),
        ("4111 1111 1111 1111 2026", "[CARD] 2026"),
        ("invoice 4000 0000 0000 0002", "invoice [CARD]"),
    ]

    static let cardNearMisses = [
        "4111111111111112", "1234567812345678", "1764480000000000", "0000000000000000", "41111111111111111111",
        "1111-2222-3333-4444", "4111-1111-1111-1112", "9999 9999 9999 9995", "1764480000000",
    ]

    static let ssns: [(String, String)] = [
        ("123-45-6789", "[SSN]"),
        ("ssn 078-05-1120", "ssn [SSN]"),
        ("SSN: 219 09 9999", "SSN: [SSN]"),
        ("id=536-22-1234;", "id=[SSN];"),
        ("(772-14-0001)", "([SSN])"),
    ]

    static let ssnNearMisses = [
        "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "2026-11-30", "123-456-789",
        "12-345-6789", "123456789", "123-45-67890", "CVE-2024-3094",
    ]

    static let phones: [(String, String)] = [
        ("+1 (555) 123-4567", "[PHONE]"),
        ("(555) 123-4567", "[PHONE]"),
        ("555-123-4567", "[PHONE]"),
        ("555.123.4567", "[PHONE]"),
        ("555 123 4567", "[PHONE]"),
        ("1-555-123-4567", "[PHONE]"),
        ("1 (800) 555-0100", "[PHONE]"),
        ("+44 20 7946 0958", "[PHONE]"),
        ("+4915123456789", "[PHONE]"),
        ("call +33 1 23 45 67 89 now", "call [PHONE] now"),
        ("tel:+1-202-555-0143", "tel:[PHONE]"),
        ("phone=(212)555-0199", "phone=[PHONE]"),
        ("+44 (0) 20 7946 0958", "[PHONE]"),
        ("reach me at 415.555.2671.", "reach me at [PHONE]."),
    ]

    static let phoneNearMisses = [
        "555-1234", "5551234567", "1764480000", "+1", "+100", "+5.5%", "+2026-11-30", "123-456-7890",
        "100-200-3000", "2026-11-30T05:00:00+01:00", "ORD-555-123-4567", "555.123-4567", "555-123-45678",
    ]

    static let secrets: [(String, String)] = [
        ("Authorization: Bearer abc123def456ghi789", "Authorization: Bearer [SECRET]"),
        ("bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "bearer [SECRET]"),
        ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
            + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "[SECRET]"),
        ("jwt eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. end", "jwt [SECRET] end"),
        ("Basic dXNlcjpwYXNzd29yZA==", "Basic [SECRET]"),
        ("sk_live_51HqLyjWDarjtT1zdp7dc", "[SECRET]"),
        ("key sk_test_4eC39HqLyjWDarjtT1zdp7dc used", "key [SECRET] used"),
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", "[SECRET]"),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[SECRET]"),
        ("AKIAIOSFODNN7EXAMPLE", "[SECRET]"),
        ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "[SECRET]"),
        ("vgl_0123456789abcdef0123456789abcdef_Zm9vYmFyYmF6cXV4cXV1eHh4eXl5enp6MTIzNDU2Nzg5MA", "[SECRET]"),
        ("AIzaSyA1234567890abcdefghijklmnopqrstu", "[SECRET]"),
        ("glpat-AbCd1234EfGh5678IjKl", "[SECRET]"),
        ("password=hunter2&user=bob", "password=[SECRET]&user=bob"),
        ("db_password: s3cr3t!", "db_password: [SECRET]"),
        ("{\"api_key\":\"abc123\"}", "{\"api_key\":\"[SECRET]\"}"),
        ("X-Api-Key=7f9c2ba4e88f827d616045507605853e", "X-Api-Key=[SECRET]"),
        ("accessToken=abcDEF123", "accessToken=[SECRET]"),
        ("https://admin:hunter2@db.example.com:5432/app", "https://[SECRET]@db.example.com:5432/app"),
        ("?client_secret=s3cr3t&id=7", "?client_secret=[SECRET]&id=[ID]"),
        ("k9XmP2qR7vL4nB8wZ3yT6hJ1cF5dG0sA", "[SECRET]"),
        ("session=Zx8Kq2Lm9Np4Rs7Tv1Wy3Ab6", "session=[SECRET]"),
        ("Cookie: sid=abc; theme=dark", "Cookie: [SECRET]; theme=dark"),
        ("x-amz-signature=deadbeef", "x-amz-signature=[SECRET]"),
        ("login ok, passwd = 'p@ss w0rd' for bob", "login ok, passwd = '[SECRET]' for bob"),
        ("redis://:p4ssw0rd@cache:6379", "redis://[SECRET]@cache:6379"),
        ("postgres://app:secret@10.1.2.3:5432/db?sslmode=require", "postgres://[SECRET]@[IP]:5432/db?sslmode=require"),
    ]

    static let secretNearMisses = [
        "Bearer token expired", "bearer", "Basic authentication failed", "sk_live", "ghp_short", "AKIA",
        "eyJhbGciOiJIUzI1NiJ9", "token_count=42", "max_tokens=4096", "cache_key=users:42", "partition_key=p1",
        "AbstractSingletonProxyFactoryBean", "GetUserProfileV2Handler2024Q3Report", "4bf92f3577b34da6a3ce929d0e0e4736",
        "550e8400-e29b-41d4-a716-446655440000", "payments-processor-worker-7d9f8c6b5-x2x9z",
        "sk-learn-preprocessing-pipeline", "session_count=3", "password_hash_algorithm=argon2", "auth=ok",
        "tokenizer=bpe", "key=value", "secretary=bob", "i-0abcd1234efgh5678", "AKIAIOSFODNN7EXAMPL",
    ]

    static let urls: [(String, String)] = [
        ("/api/users/123/profile", "/api/users/[ID]/profile"),
        ("/api/users/550e8400-e29b-41d4-a716-446655440000", "/api/users/[ID]"),
        ("/api/orders/42?expand=items", "/api/orders/[ID]?expand=items"),
        ("GET /api/users/987654 HTTP/1.1", "GET /api/users/[ID] HTTP/1.1"),
        ("https://example.com/users/42/orders/7", "https://example.com/users/[ID]/orders/[ID]"),
        ("/items?id=123", "/items?id=[ID]"),
        ("/search?user_id=991&page=2", "/search?user_id=[ID]&page=2"),
        ("/files/507f1f77bcf86cd799439011", "/files/[ID]"),
        ("/v1/reports/123.json", "/v1/reports/[ID].json"),
        ("example.com/users/31337", "example.com/users/[ID]"),
        ("route=/api/users/77/settings", "route=/api/users/[ID]/settings"),
        ("/api/accounts/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/api/accounts/[ID]"),
        ("/track?ref=1234567", "/track?ref=[ID]"),
        ("/users/ABCDEF12-3456-7890-ABCD-EF1234567890/avatar", "/users/[ID]/avatar"),
        ("?userId=12", "?userId=[ID]"),
        ("http://localhost:8080/jobs/12", "http://localhost:8080/jobs/[ID]"),
        ("DELETE /api/users/123", "DELETE /api/users/[ID]"),
        ("/a/1/b/2/c/3", "/a/[ID]/b/[ID]/c/[ID]"),
        ("/api/users/{id}/orders/99", "/api/users/{id}/orders/[ID]"),
        ("/download?file=report&orderId=88", "/download?file=report&orderId=[ID]"),
        ("/download?file=report&sessionId=88", "/download?file=report&sessionId=[SECRET]"),
        ("/orders?id=550e8400-e29b-41d4-a716-446655440000#top", "/orders?id=[ID]#top"),
        ("s3://bucket/users/1234/avatar.png", "s3://bucket/users/[ID]/avatar.png"),
        ("http.url=https://api.example.com/v1/orders/12345?include=items",
         "http.url=https://api.example.com/v1/orders/[ID]?include=items"),
        ("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1", "/subscriptions/[ID]/resourceGroups/rg1"),
        ("/commits/3f9a1c2b7d4e8f6a9b0c1d2e3f4a5b6c7d8e9f0a", "/commits/[ID]"),
    ]

    static let urlNearMisses = [
        "/api/v2/users", "/health", "/api/users/:id/profile", "/api/users/{id}", "/static/app.3f9a1c.js",
        "/v1/2024-01-01/report", "?page=2&limit=50", "10/20", "11/30/2026", "a/b/c", "/search?q=shoes", "/api/v1",
        "HTTP/1.1", "/deadbeefdeadbeef", "users/123/profile",
    ]

    static let sql: [(String, String)] = [
        ("SELECT * FROM users WHERE email = 'a@b.com'", "SELECT * FROM users WHERE email = '[EMAIL]'"),
        ("WHERE email = 'a@b.com'", "WHERE email = '[EMAIL]'"),
        ("select * from users where id = 42", "select * from users where id = ?"),
        ("UPDATE accounts SET name = 'Alice', age = 30 WHERE id = 7",
         "UPDATE accounts SET name = '[REDACTED]', age = ? WHERE id = ?"),
        ("INSERT INTO t (a, b) VALUES ('x', 1.5)", "INSERT INTO t (a, b) VALUES ('[REDACTED]', ?)"),
        ("DELETE FROM sessions WHERE token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'",
         "DELETE FROM sessions WHERE token = '[SECRET]'"),
        ("SELECT * FROM t WHERE ip = '10.0.0.1' LIMIT 10 OFFSET 20", "SELECT * FROM t WHERE ip = '[IP]' LIMIT ? OFFSET ?"),
        ("SELECT name FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.x > 3",
         "SELECT name FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.x > ?"),
        ("SELECT * FROM t WHERE id = $1 AND name = :name", "SELECT * FROM t WHERE id = $1 AND name = :name"),
        ("SELECT 'it''s' FROM dual", "SELECT '[REDACTED]' FROM dual"),
        ("SELECT * FROM t WHERE phone = '+1 555 123 4567'", "SELECT * FROM t WHERE phone = '[PHONE]'"),
        ("SELECT * FROM t WHERE card IN ('4111111111111111', '5555555555554444')",
         "SELECT * FROM t WHERE card IN ('[CARD]', '[CARD]')"),
        ("SELECT * FROM t WHERE note LIKE '%alice@example.com%'", "SELECT * FROM t WHERE note LIKE '[REDACTED]'"),
        ("SELECT * FROM t WHERE x = 0x1F AND y = 1e10 AND z = -5", "SELECT * FROM t WHERE x = ? AND y = ? AND z = -?"),
        ("SELECT * FROM users WHERE email = alice@example.com", "SELECT * FROM users WHERE email = [EMAIL]"),
        ("select count(*) from events where ts > 1764480000", "select count(*) from events where ts > ?"),
        ("SELECT * FROM t WHERE name = 'O\\'Brien' AND id IN (1, 2, 3)",
         "SELECT * FROM t WHERE name = '[REDACTED]' AND id IN (?, ?, ?)"),
        ("SELECT * FROM t WHERE s = 'unterminated", "SELECT * FROM t WHERE s = '[REDACTED]"),
        ("SELECT * FROM t WHERE a = '' AND ssn = '123-45-6789'", "SELECT * FROM t WHERE a = '' AND ssn = '[SSN]'"),
    ]

    static let sqlNearMisses = [
        "http.method=DELETE", "SELECT", "select_all=true", "Update available", "DELETE", "insert_mode=append",
    ]

    static let allPositives: [(String, String)] = {
        var all = emails
        for group in [ips, cards, ssns, phones, secrets, urls, sql] { all += group }
        return all
    }()

    static let allNearMisses: [String] = {
        var all = emailNearMisses
        for group in [ipNearMisses, cardNearMisses, ssnNearMisses, phoneNearMisses, secretNearMisses, urlNearMisses,
                      sqlNearMisses, everydayNearMisses] { all += group }
        return all
    }()

    /// Values that must never change, whatever the category.
    static let everydayNearMisses = [
        "http.request.duration", "status=200", "200", "404", "HTTP 503", "GET", "2026-11-30", "05:00:00",
        "2026-11-30T05:00:00Z", "2026-11-30T05:00:00.123+01:00", "#ff00aa", "#FFF", "42", "3.14", "1.5s", "100ms",
        "99.9%", "v1.2.3", "1.2.3-rc.1+build.5", "2.0.0", ":8080", "localhost:8080", "api-7d9f8c6b5-x2x9z",
        "web-5c8f7d9b4c-abcde", "us-east-1", "eu-west-2b", "ordinary words here", "The quick brown fox",
        "checkout_service", "db.query.time", "k8s.pod.name", "GET /health", "user_id", "12345", "1,000,000", "-42",
        "0.0.1", "1e-9", "UTF-8", "en-US", "ISO-8859-1", "SHA-256", "p99", "x86_64", "ubuntu-22.04", "node-18.17.1",
        "python3.11", "go1.22.3", "RFC 5952", "order #12345", "Q3-2026", "", " ", "[EMAIL]", "/api/users/[ID]/profile",
        "café", "🚀 launch", "grpc.status_code=14", "retry_after=30", "region=eu-central-1", "pool.size=16",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Bearer realm=example-api", "grpc.method=/helloworld.Greeter/SayHello",
        "k8s.container.id=3f9a1c2b7d4e8f6a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a", "span.id=00f067aa0ba902b7",
        "build=2026.11.30.1", "date=30.11.2026", "le=0.005", "db.statement=SELECT * FROM users WHERE id = $1",
        "exception.message=User 12345 not found", "x-request-id: 7f9c2ba4-e88f-827d-6160-45507605853e",
        "image=ghcr.io/org/app:1.2.3", "job=backup-2026-11-30", "lat=52.5200,lon=13.4050", "temp=-12.5",
        "OpenSSL/3.0.2", "count=1234567890123", "sha=3f9a1c2b7d4e8f6a9b0c1d2e3f4a5b6c7d8e9f0a",
    ]
}

struct PIIRedactorCorpusTests {
    let redactor = PIIRedactor()

    @Test(arguments: PIICorpus.emails)
    func email(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.ips)
    func ip(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.cards)
    func card(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.ssns)
    func ssn(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.phones)
    func phone(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.secrets)
    func secret(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.urls)
    func urlIdentifier(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.sql)
    func sqlLiteral(input: String, expected: String) {
        #expect(redactor.redactValue(input) == expected)
    }

    @Test(arguments: PIICorpus.allNearMisses)
    func nearMissStaysUntouched(input: String) {
        #expect(redactor.redactValue(input) == input)
    }

    /// Redacted output is a fixed point: placeholders are never matched again.
    @Test(arguments: PIICorpus.allPositives)
    func redactionIsIdempotent(input: String, expected: String) {
        let once = redactor.redactValue(input)
        #expect(redactor.redactValue(once) == once)
    }
}
