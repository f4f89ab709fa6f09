import Foundation
import Testing

@testable import TeprovCore

/// One golden-plan case: a folder `Fixtures/plans/<name>/` with small inputs, `case.json` (flags) and
/// `expected.json` (the normalized rendering of the plan, see `PlanScenario.rendering(of:)`).
///
/// Files the folder may hold: `users.csv` (or the files `case.json` lists under `users`), `snapshot.json`,
/// `config.yaml`, `deleted.csv`/`deleted.json`, `assignments.csv`, `app-roles.json`, `group-members.csv`.
/// `case.json` keys: `users` (list of file names), `allowEmptySource`, `allowIncompleteSnapshot`,
/// `explain` (list), `expectError: {exitCode, messageContains}`.
struct PlanScenario: Sendable, CustomTestStringConvertible {
    let name: String

    var testDescription: String { name }

    /// `createdAt` of every scenario plan: 2026-11-30T10:00:00Z.
    static let fixedNow = Date(timeIntervalSince1970: 1_796_032_800)

    /// Every case folder, sorted (read when the tests are listed).
    static let all: [PlanScenario] = {
        guard let folder = fixturesFolder,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map(PlanScenario.init(name:))
    }()

    /// `Fixtures/plans` as the test bundle holds it.
    static var fixturesFolder: URL? {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("plans")
    }

    /// `Fixtures/plans` in the source tree, where `RECORD=1` writes `expected.json`.
    static let sourceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("plans")

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD"] == "1" }

    var folder: URL { (Self.fixturesFolder ?? Self.sourceFolder).appendingPathComponent(name) }

    func file(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    /// The parsed `case.json` (an empty object when absent).
    func flags() throws -> JSONValue {
        guard exists("case.json") else { return .object([]) }
        let tokenizer = try JSONTokenizer(path: file("case.json"))
        return try tokenizer.readValue()
    }

    /// The pipeline options this case runs with.
    func options(now: Date = PlanScenario.fixedNow) throws -> PlanPipeline.Options {
        let flags = try flags()
        let userFiles = flags["users"].flatMap(Self.strings) ?? ["users.csv"]
        var options = PlanPipeline.Options(users: userFiles.map(file), snapshot: file("snapshot.json"))
        options.deleted = ["deleted.csv", "deleted.json"].filter(exists).map(file)
        options.directory = DirectoryInputPaths(
            assignments: exists("assignments.csv") ? file("assignments.csv") : nil,
            appRoles: exists("app-roles.json") ? file("app-roles.json") : nil,
            groupMembers: exists("group-members.csv") ? file("group-members.csv") : nil)
        options.configPath = exists("config.yaml") ? file("config.yaml") : nil
        options.allowEmptySource = flags["allowEmptySource"] == .bool(true)
        options.allowIncompleteSnapshot = flags["allowIncompleteSnapshot"] == .bool(true)
        options.explain = flags["explain"].flatMap(Self.strings) ?? []
        options.now = now
        return options
    }

    /// The error this case must fail with, if any.
    func expectedError() throws -> (exitCode: Int32, messageContains: String)? {
        guard case .object(let members)? = try flags()["expectError"] else { return nil }
        let object = JSONValue.object(members)
        guard case .int(let code)? = object["exitCode"], case .string(let text)? = object["messageContains"] else {
            return nil
        }
        return (Int32(code), text)
    }

    /// `{summary, safety, operations, skipped, diagnostics}` of the plan, with file paths reduced to basenames.
    func rendering(of plan: Plan) -> JSONValue {
        let document = plan.jsonValue()
        let keys = ["summary", "safety", "operations", "skipped", "diagnostics"]
        let members = keys.map { ($0, Self.basenames(document[$0] ?? .null, folder: folder.path + "/")) }
        return .object(members)
    }

    static func basenames(_ value: JSONValue, folder: String) -> JSONValue {
        switch value {
        case .string(let text): return .string(text.replacingOccurrences(of: folder, with: ""))
        case .array(let items): return .array(items.map { basenames($0, folder: folder) })
        case .object(let members): return .object(members.map { ($0.0, basenames($0.1, folder: folder)) })
        default: return value
        }
    }

    static func strings(_ value: JSONValue) -> [String]? {
        guard case .array(let items) = value else { return nil }
        return items.compactMap { item in
            if case .string(let text) = item { return text }
            return nil
        }
    }
}

/// A readable line diff for golden-file failures: `-` expected, `+` actual, two lines of context.
enum GoldenDiff {
    static func render(expected: String, actual: String, context: Int = 2) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Longest common subsequence table (golden files are small).
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [(Character, Int, String)] = []  // (mark, expected line number, text)
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                lines.append((" ", i + 1, old[i]))
                i += 1
                j += 1
            } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
                lines.append(("-", i + 1, old[i]))
                i += 1
            } else {
                lines.append(("+", i + 1, new[j]))
                j += 1
            }
        }
        let changed = lines.indices.filter { lines[$0].0 != " " }
        var shown = Set<Int>()
        for index in changed {
            for near in max(0, index - context)...min(lines.count - 1, index + context) { shown.insert(near) }
        }
        var output: [String] = []
        var previous = -2
        for index in shown.sorted() {
            if index != previous + 1 { output.append("@@ expected.json line \(lines[index].1) @@") }
            output.append("\(lines[index].0) \(lines[index].2)")
            previous = index
        }
        return output.joined(separator: "\n")
    }
}
