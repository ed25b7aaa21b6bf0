// swift-tools-version: 6.1
import PackageDescription

// Layering: routes/controllers (VigilAPI) and jobs (VigilWorker) -> VigilServices -> VigilRepositories
// -> PostgresClient -> CLibPQ, with the pure VigilCore and the dependency-free VigilPrimitives below all.
// Target dependencies alone do not enforce it (SwiftPM lets a target import whatever its dependencies
// pull in), so scripts/check-layers.py holds the allowed imports per target and CI fails on any other.
// The map: docs/architecture.md.
// A file may use only members of modules it imports itself (SE-0444): without it, a type from a
// module pulled in transitively (say a repository's record) could be used without any import
// that scripts/check-layers.py would see.
let layered: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Dependency-free building blocks shared by every layer: civil dates, hex, JSON text.
        .target(name: "VigilPrimitives"),
        .target(
            name: "PostgresClient",
            dependencies: [
                "CLibPQ", "VigilPrimitives",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "EmbeddedPostgres",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // RE2 (Debian's libre2) behind a small C API: linear-time regexes for tenants' label matchers.
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2")]
        ),
        .target(
            name: "VigilCore",
            dependencies: ["VigilPrimitives", "CRE2", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "VigilRepositories",
            dependencies: ["VigilCore", "PostgresClient", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Migrations")]
        ),
        // libcurl for outbound notifications: HTTP(S) POSTs and SMTP with STARTTLS.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "VigilDelivery", dependencies: ["CCurl", "VigilPrimitives"]),
        .target(
            name: "VigilServices",
            dependencies: ["VigilCore", "VigilRepositories", "VigilDelivery", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: layered
        ),
        .target(
            name: "VigilAPI",
            dependencies: [
                "VigilServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The spec the server is generated from is also served at GET /openapi.yaml.
            resources: [.copy("openapi.yaml")],
            swiftSettings: layered,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // A client generated from the same spec (client mode), driving a live server end to end in
        // the smoke run: the contract proven from the other side.
        .executableTarget(
            name: "VigilClientE2E",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: layered,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "VigilWorker",
            dependencies: [
                "VigilServices",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: layered
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilAPI", "VigilWorker", "EmbeddedPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: layered
        ),
        // A throwaway PostgreSQL cluster for tests (or VIGIL_TEST_DATABASE_URL), one database per test.
        .target(
            name: "VigilTestSupport",
            dependencies: ["PostgresClient", "EmbeddedPostgres"],
            path: "Tests/VigilTestSupport"
        ),
        // Databases cloned from a migrated template, for tests above the libpq layer.
        .target(
            name: "VigilTestFixtures",
            dependencies: ["VigilTestSupport", "VigilRepositories"],
            path: "Tests/VigilTestFixtures"
        ),
        // Real local peers for delivery tests: an HTTP receiver, aiosmtpd, Prometheus Alertmanager.
        .target(name: "DeliveryTestFixtures", path: "Tests/DeliveryTestFixtures"),
        .testTarget(name: "VigilDeliveryTests", dependencies: ["VigilDelivery", "DeliveryTestFixtures"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "VigilTestSupport"]),
        .testTarget(name: "VigilPrimitivesTests", dependencies: ["VigilPrimitives"]),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore", "VigilPrimitives"]),
        .testTarget(name: "VigilRepositoriesTests", dependencies: ["VigilRepositories", "VigilTestFixtures"]),
        .testTarget(name: "VigilWorkerTests", dependencies: ["VigilWorker", "VigilTestFixtures", "DeliveryTestFixtures"]),
        .testTarget(
            name: "VigilAPITests",
            dependencies: [
                "VigilAPI", "VigilWorker", "VigilTestFixtures", "DeliveryTestFixtures",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
