// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "teprov",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "teprov", targets: ["teprov"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "CTeprovSupport"),
        .target(
            name: "TeprovCore",
            dependencies: [
                "CLibXML2",
                "CTeprovSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: [
                // The readers' inner loops spent ~12% of their time in run-time exclusivity checks
                // (swift_beginAccess); release builds check exclusivity at compile time only.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
            ]
        ),
        .executableTarget(
            name: "teprov",
            dependencies: [
                "TeprovCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "teprov-bench-gen",
            dependencies: ["TeprovCore"],
            path: "Sources/teprov-bench-gen"
        ),
        .testTarget(
            name: "TeprovCoreTests",
            dependencies: ["TeprovCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TeprovCLITests",
            dependencies: ["TeprovCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
