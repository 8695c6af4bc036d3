// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// What GraceTelemetry and its tests both import: logging, services and the tracing API.
let telemetryDependencies: [Target.Dependency] = [
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "Tracing", package: "swift-distributed-tracing"),
]

let package = Package(
    name: "grace",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "grace", targets: ["grace"]),
        .library(name: "GraceCore", targets: ["GraceCore"]),
        .library(name: "GraceLog", targets: ["GraceLog"]),
        .library(name: "GraceStore", targets: ["GraceStore"]),
        .library(name: "GraceBoot", targets: ["GraceBoot"]),
        .library(name: "GraceServer", targets: ["GraceServer"]),
        .library(name: "GraceTelemetry", targets: ["GraceTelemetry"]),
    ],
    // An enabled trait is also a compilation condition in every target: `#if OTLP`.
    traits: [
        // Off by default: swift-otel and its HTTP stack add minutes to a clean build (README, "Traces").
        .trait(name: "OTLP", description: "Export every run as an OTLP trace (swift-otel, OTLP/HTTP)"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // OTLP ingestion: the generated OTLP messages' runtime, and gzip request bodies.
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Alert webhooks (already resolved: Hummingbird's tests and swift-otel's OTLP/HTTP use it).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "GraceCore",
            dependencies: [
                // SHA-256 for the original system's learned-incident signatures (pure computation).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GraceLog",
            dependencies: [
                "GraceCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GraceStore",
            dependencies: [
                "GraceCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GraceBoot",
            dependencies: [
                "GraceCore",
                "GraceLog",
                "GraceStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GraceTelemetry",
            dependencies: ["GraceCore", "GraceStore", .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OTLP"])),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")]
                + telemetryDependencies,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GraceServer",
            dependencies: [
                "GraceCore",
                "GraceLog",
                "GraceStore",
                "GraceBoot",
                "GraceTelemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "grace",
            dependencies: [
                "GraceCore",
                "GraceLog",
                "GraceStore",
                "GraceBoot",
                "GraceServer",
                "GraceTelemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GraceCoreTests", dependencies: ["GraceCore"], swiftSettings: swiftSettings),
        .testTarget(name: "GraceLogTests", dependencies: ["GraceLog"], swiftSettings: swiftSettings),
        .testTarget(name: "GraceStoreTests", dependencies: ["GraceStore"], swiftSettings: swiftSettings),
        // Hummingbird: the alert tests' webhook receiver on loopback; GRDB: their audit-chain tampering.
        .testTarget(name: "GraceBootTests", dependencies: ["GraceBoot", .product(name: "Hummingbird", package: "hummingbird"),
                                                           .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "GraceServerTests", dependencies: [
            "GraceServer", "GraceTelemetry",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "CompressNIO", package: "compress-nio"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "GraceTelemetryTests", dependencies: ["GraceTelemetry", "GraceStore",
                                                                .product(name: "SwiftProtobuf", package: "swift-protobuf")]
                        + telemetryDependencies,
                    swiftSettings: swiftSettings),
        .testTarget(name: "GraceEndToEndTests", dependencies: ["GraceCore", "grace"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
