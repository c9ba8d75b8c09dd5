// swift-tools-version:6.0
import Foundation
import PackageDescription

/// flamegen: profiles (pprof, folded stacks) → call tree → flame graphs and reports.
/// The targets follow the pipeline: import → model → layout → render → CLI.
let package = Package(
    name: "flamegen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "flamegen", targets: ["flamegen"]),
        .library(name: "FlameApp", targets: ["FlameApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CPrefetch"),
        .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2")]),
        .target(name: "FlameModel", dependencies: ["CRE2", "CPrefetch"]),
        .target(name: "FlameTrace", dependencies: ["FlameModel"]),
        .target(name: "FlameImport", dependencies: ["FlameModel", "FlameTrace", "CZlib", "CPrefetch"]),
        .target(name: "FlameReport", dependencies: ["FlameModel"]),
        .target(name: "FlameLayout", dependencies: ["FlameModel", "FlameReport", "FlameTrace", "CGraphviz"]),
        .executableTarget(name: "TemplateEmbedder"),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["TemplateEmbedder"]),
        .target(name: "FlameRender", dependencies: ["FlameLayout", "CPNG", "CFreeType"], plugins: ["EmbedTemplates"]),
        .target(name: "FlameApp", dependencies: ["FlameModel", "FlameTrace", "FlameImport", "FlameLayout", "FlameRender", "FlameReport"]),
        .executableTarget(name: "flamegen", dependencies: [
            "FlameApp", "CMalloc",
            "FlameImport", "FlameReport", "FlameModel", "FlameTrace",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // What each fuzz target does with an input: run by the fuzzers, and by the tests on every recorded crasher.
        .target(name: "FuzzBodies", dependencies: ["FlameModel", "FlameTrace", "FlameImport", "FlameLayout", "FlameReport", "FlameApp"], path: "Fuzz/FuzzBodies"),
        .testTarget(name: "FlamegenTests", dependencies: ["FlameModel", "FlameTrace", "FlameImport", "FlameLayout", "FlameRender", "FlameReport", "FlameApp", "CPNG", "FuzzBodies"], exclude: ["Fixtures"]),
    ]
)

// libFuzzer targets, only with FLAMEGEN_FUZZ=1 (they have no main of their own): see `make fuzz`.
if ProcessInfo.processInfo.environment["FLAMEGEN_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"))
    let fuzzers = ["FuzzPprof", "FuzzGzip", "FuzzFolded", "FuzzGoroutine", "FuzzRegex", "FuzzCollapse", "FuzzTemplate", "FuzzProfileShapes", "FuzzTrace"]
    for name in fuzzers {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["FuzzBodies", "FuzzSupport"], path: "Fuzz/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
