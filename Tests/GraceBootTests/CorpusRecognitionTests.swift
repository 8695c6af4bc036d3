import Foundation
import Testing
@testable import GraceBoot
import GraceCore

/// Recognition measured on the real logs of `Tests/Corpus/failures` (issue 16): each file is
/// diagnosed by the built-in patterns exactly as `grace diagnose` would, and must name its label.
@Suite struct CorpusRecognitionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/failures").path
    static let corpus = try! CorpusEvaluation(directory: directory)

    /// As `grace diagnose` runs: the built-in signatures, rated by the built-in recognition model.
    static let diagnoser = LogDiagnoser(matcher: try! SignatureMatcher(patterns: try! CorpusEvaluation.builtInPatterns(),
                                                                       model: try! CorpusEvaluation.builtInModel()))

    static func diagnose(_ path: String) throws -> Set<String> {
        Set(try diagnoser.diagnose(path: path).hits.map(\.patternID))
    }

    static func entry(_ file: String) -> CorpusEvaluation.Entry {
        corpus.entries.first { $0.file == file }!
    }

    @Test func theCorpusIsLargeRealAndMostlyNearMisses() {
        let entries = Self.corpus.entries.filter { ["train", "heldout"].contains($0.split) }
        #expect(entries.count >= 250)
        let negatives = entries.filter(\.labels.isEmpty).count
        #expect(Double(negatives) / Double(entries.count) >= 0.40)
        for entry in Self.corpus.entries {
            #expect(entry.threadURL.hasPrefix("https://github.com/"), "\(entry.file) has no thread URL")
            #expect(FileManager.default.fileExists(atPath: (Self.directory as NSString).appendingPathComponent(entry.file)), "\(entry.file) is missing")
        }
        // Split by thread: no thread has files in two splits.
        let splits = Dictionary(grouping: Self.corpus.entries, by: \.threadURL).mapValues { Set($0.map(\.split)) }
        #expect(splits.values.allSatisfy { $0.count == 1 })
    }

    /// Logs of the blind parts (`fresh2`, `fresh3`) that the signatures still get wrong: the text alone
    /// does not tell them apart (a syntax error and a quoted value reported as missing columns; an
    /// SDK refusing a `None` token that came from an unset variable).
    static let knownMisses: Set<String> = [
        "fresh2/knex_knex-2850.log", "fresh2/stripe-archive_mosql-34.log",
        "fresh2/1337w0rm_yeetmeet-3.log", "fresh2/staciax_valorant-discord-bot-101.log",
        // fresh3 (blind: 66/77 when first scored), after the .NET CS4014, "Missing X environment
        // variable", os.environ and Flask "no secret key was set" signatures: quoted values PostgreSQL
        // reports as missing columns, a validation error that names no field.
        "fresh3/aljawaid_AddressBook-12.log", "fresh3/outl1ne_nova-menu-builder-42.log",
        "fresh3/jazzband_jsonmodels-61.log",
        // fresh4 (blind: 56/71 when first scored, 0/26 negatives named; 69/71 after the signatures for
        // the phrasings it and later parts showed): an import cycle seen only as "Class extends value
        // undefined", which other mistakes give too; sqlite-net's bare "Locked".
        "fresh4/kulshekhar_ts-jest-4566.log", "fresh4/reactiveui_Akavache-122.log",
        // fresh5 (blind: 70/83 when first scored, 1/30 negatives named; 80/83 after the signatures for
        // the phrasings it and later parts showed): a bare KeyError for a missing TOML field; a file path
        // encoded to ASCII by os.stat (not an output stream) named as a unicode crash; Rust's Windows
        // console refusing non-UTF-8 bytes, which this collector labelled a near miss and three later
        // collectors a unicode crash (the signature follows the three).
        "fresh5/yukinarit_pyserde-163.log", "fresh5/bvanheu_pytoutv-73.log", "fresh5/Watfaq_PowerSession-rs-243.log",
        // fresh6 (blind: 104/127 when first scored, 0/51 negatives named; 126/127 after the signatures it
        // and later parts prompted): a Go CLI's message cut off before it says what is missing.
        "fresh6/lindell_multi-gitter-453.log",
        // fresh7 (blind: 110/136 when first scored, 3/55 negatives named; 126/136 and 0/55 after the
        // signatures it and fresh8 prompted): an adapter's debug print of {"busy",N} without "locked"; a
        // custom-formatted validation report; a script shadowing a std-library module in Python 2's
        // wording; an SDK's bare assertion on a null key; a marshmallow message with a typo as pasted;
        // Zeitwerk's NameError and a Kotlin static-initialiser cycle that show the cycle only in their
        // stack frames; Go's "set X environment variable" (worded as a hint); Ruby log writes of
        // ASCII-8BIT text, which earlier parts label near misses.
        "fresh7/elixir-sqlite_sqlite-ecto2-244.log", "fresh7/horus-ai-labs_distillflow-2.log",
        "fresh7/qpython-android_qpython-169.log", "fresh7/bazrafkan_google-place-2.log",
        "fresh7/ktsstudio_webinar-tgbot-1.log",
        "fresh7/okuramasafumi_alba-212.log", "fresh7/vsirotin_si-units-50.log",
        "fresh7/edoardottt_nuclei-cve-gpt-1.log", "fresh7/jondot_sneakers-160.log",
        "fresh7/roidrage_lograge-17.log",
        // fresh8 (blind: 115/130 when first scored, 2/54 negatives named; 129/130 and 1/54 after the
        // signatures it and fresh9 prompted): a bare latin-1 message as a thread's title, 27 lines above
        // the requests traceback that shows it is a header (outside the 20-line block).
        "fresh8/galeax_cve2capec-10.log",
        // fresh9 (blind: 59/67 when first scored, 0/25 negatives named; 64/67 after the signatures it
        // prompted): a logger write of binary (ASCII-8BIT) text, which earlier parts label near misses;
        // an env library's "required key 'host' ... not found" (lower-case, like a config file's); an
        // IDE's "Deferred result is never used" inspection.
        "fresh9/capistrano_capistrano-1442.log", "fresh9/heetch_confita-30.log",
        "fresh9/kotlin_kotlinx-coroutines-413.log",
        // fresh10 (blind: 55/62 when first scored, 0/25 negatives named; not tuned yet).
        "fresh10/maxgribov_spine-52.log", "fresh10/chrisbenincasa_tunarr-484.log",
        "fresh10/nlohmann_json-538.log", "fresh10/typeorm_typeorm-383.log", "fresh10/nodejs_node-21810.log",
        "fresh10/leegeunhyeok_comcigan-parser-15.log",
        "fresh10/microsoft_generative-ai-for-beginners-dotnet-119.log",
    ]

    @Test(arguments: corpus.entries.map(\.file))
    func eachLogNamesItsLabel(file: String) throws {
        let entry = Self.entry(file)
        let named = try Self.diagnose((Self.directory as NSString).appendingPathComponent(file))
        let check = {
            if entry.labels.isEmpty {
                #expect(named.isEmpty, "\(file) (\(entry.note)) is a negative but named \(named.sorted())")
            } else {
                #expect(!named.isEmpty && named.isSubset(of: entry.labels), "\(file) (\(entry.note)): expected \(entry.labels.sorted()), named \(named.sorted())")
            }
        }
        if Self.knownMisses.contains(file) {
            withKnownIssue("diagnosed wrongly on a blind part") { check() }
        } else {
            check()
        }
    }

    /// A blind part (collected by people who never read the signatures, labelled before Grace ran on
    /// it): its size, and the floor it reached after the fixes it and later parts prompted. The first
    /// blind scores are in docs/recognition.md and Tests/Corpus/failures/README.md.
    struct BlindFloor: Sendable, CustomTestStringConvertible {
        let split: String
        let files: Int
        let right: Int
        let negativesNamed: Int
        var testDescription: String { "\(split): at least \(right)/\(files), at most \(negativesNamed) negatives named" }
    }

    static let blindFloors = [
        BlindFloor(split: "fresh2", files: 46, right: 42, negativesNamed: 2),    // first scored 37/46
        BlindFloor(split: "fresh3", files: 77, right: 74, negativesNamed: 2),    // first scored 66/77
        BlindFloor(split: "fresh4", files: 71, right: 69, negativesNamed: 0),    // first scored 56/71
        BlindFloor(split: "fresh5", files: 83, right: 80, negativesNamed: 2),    // first scored 70/83, 1 named
        BlindFloor(split: "fresh6", files: 127, right: 126, negativesNamed: 0),  // first scored 104/127
        BlindFloor(split: "fresh7", files: 136, right: 126, negativesNamed: 0),  // first scored 110/136, 3 named
        BlindFloor(split: "fresh8", files: 130, right: 129, negativesNamed: 1),  // first scored 115/130, 2 named
        BlindFloor(split: "fresh9", files: 67, right: 64, negativesNamed: 0),    // first scored 59/67
        BlindFloor(split: "fresh10", files: 62, right: 55, negativesNamed: 0),   // first scored 55/62, not tuned on
    ]

    @Test(arguments: blindFloors)
    func eachBlindPartStaysAtItsMeasuredFloor(floor: BlindFloor) throws {
        let report = try Self.corpus.evaluate(split: floor.split, patternIDs: try CorpusEvaluation.builtInPatterns().map(\.id), diagnose: Self.diagnose)
        #expect(report.files == floor.files)
        #expect(report.right >= floor.right, "\(report.right)/\(report.files) right")
        #expect(report.negativesNamed <= floor.negativesNamed)
    }

    /// The issue's bar, on the held-out part: at least 95% right, no pattern below 90% recall,
    /// at most 5% of the negatives named.
    @Test(arguments: ["heldout", "fresh"])
    func theHeldOutPartsMeetTheBar(split: String) throws {
        let report = try Self.corpus.evaluate(split: split, patternIDs: try CorpusEvaluation.builtInPatterns().map(\.id), diagnose: Self.diagnose)
        #expect(report.files > 60)
        #expect(report.accuracy >= 0.95, "\(report.right)/\(report.files) right")
        #expect(report.negativesNamedShare <= 0.05)
        for score in report.patterns {
            #expect(score.labelled > 0, "no \(score.patternID) log in \(split)")
            #expect(score.recall >= 0.90, "\(score.patternID) recall \(score.recall)")
        }
    }

    /// Every runtime the issue names has real logs that are recognised and near misses that are not.
    @Test(arguments: ["python", "node", "go", "rust", "java", "ruby", "php", "dotnet"])
    func eachRuntimeIsCovered(runtime: String) throws {
        let entries = Self.corpus.entries.filter { $0.runtime == runtime }
        let positives = entries.filter { !$0.labels.isEmpty && !Self.knownMisses.contains($0.file) }
        #expect(!positives.isEmpty, "no \(runtime) positive")
        for entry in positives {
            let named = try Self.diagnose((Self.directory as NSString).appendingPathComponent(entry.file))
            #expect(!named.isEmpty && named.isSubset(of: entry.labels), "\(entry.file)")
        }
        #expect(entries.contains { $0.labels.isEmpty }, "no \(runtime) negative")
    }

    /// One real log for each near-miss kind the issue lists; none may be named as any pattern.
    @Test(arguments: [
        ("unicode: decoding an input file", "train/wanderingstan_confusables-3.log"),
        ("unicode: encoding an HTTP header", "train/yt-dlp_yt-dlp-14111.log"),
        ("unicode: surrogates in a UTF-8 stream", "train/manatlan_reqman-12.log"),
        ("schema: a missing table", "train/tobimensch_termsql-1.log"),
        ("schema: a missing relation, German server", "train/tum-ewk_lemlab-24.log"),
        ("fields: a value of the wrong type", "train/afairgiant_medikeep-105.log"),
        ("fields: an extra or unsupported property", "heldout/eole-nlp_eole-66.log"),
        ("imports: a version mismatch", "train/cogito2012_dear-5.log"),
        ("imports: a Go std-library cycle from a mismatched GOROOT", "train/cloudfoundry_noaa-43.log"),
        ("imports: a module that is not installed", "train/zhiwei-roy-0803_rav2x-5.log"),
        ("locked: a read-only database", "train/renesmeekes_storj_earnings-20.log"),
        ("locked: an unopenable database", "fresh/lcdr_utils-6.log"),
        ("locked: a malformed file", "train/mixinnetwork_android-app-2171.log"),
        ("locked: a VCS lock file", "heldout/carloscuesta_gitmoji-cli-117.log"),
        ("locked: a file held open on Windows", "heldout/domhnallmorr_tk-path-finder-7.log"),
        ("async: a task exception never retrieved", "heldout/scarletcafe_jishaku-65.log"),
        ("async: a pending task destroyed", "heldout/pallets_quart-289.log"),
        ("async: a closed event loop", "heldout/speced_bikeshed-1920.log"),
        ("secrets: a key that is set but wrong (401)", "heldout/popjane_free_chatgpt_api-3.log"),
        ("secrets: an env hint for debugging", "train/machineonamission_uwd2-12.log"),
        ("secrets: an env hint for tuning", "fresh/jhc13_taggui-188.log"),
    ])
    func nearMissesNameNothing(kind: String, file: String) throws {
        let entry = Self.entry(file)
        #expect(entry.labels.isEmpty, "\(file) should be a negative")
        let named = try Self.diagnose((Self.directory as NSString).appendingPathComponent(file))
        #expect(named.isEmpty, "\(kind): \(file) named \(named.sorted())")
    }

    @Test func aMalformedManifestNamesTheLine() {
        let text = "file\trepository\tthread_url\tlabel\tsplit\truntime\tnote\na.log\tx/y\thttps://github.com/x/y/issues/1\tnone\n"
        #expect(throws: (any Error).self) { try CorpusEvaluation.parseManifest(text, name: "SOURCES.tsv") }
        do {
            _ = try CorpusEvaluation.parseManifest(text, name: "SOURCES.tsv")
        } catch {
            #expect("\(error.localizedDescription)".contains("line 2"))
        }
    }
}

/// The block-level parts of the matcher: case-insensitive prefilter, JSON-escaped lines and
/// exclusions found in the lines around a match.
@Suite struct BlockMatchingTests {
    static func pattern(_ signatures: [String], prefilter: [String], exclusions: [String] = []) -> FailurePattern {
        FailurePattern(id: "p", title: "p", signatures: signatures, prefilter: prefilter, exclusions: exclusions, rootCause: "",
                       playbookID: "none", riskLevel: .low, autonomyTier: .tier1, verification: .init(method: "manual"))
    }

    @Test func aCaseInsensitiveSignatureIsNotSkippedByThePrefilter() throws {
        let matcher = try SignatureMatcher(patterns: [Self.pattern(["(?i)database is locked"], prefilter: ["database is locked"])])
        #expect(matcher.matches(in: "ERROR: DATABASE IS LOCKED (5)\nok\n").map(\.lineNumber) == [1])
        #expect(matcher.matches(in: "Database Is Locked\n").count == 1)
    }

    @Test func aLiteralMarkedCaseInsensitiveMatchesAnyCase() throws {
        let matcher = try SignatureMatcher(patterns: [Self.pattern(["[Aa][Pp][Ii] key not found"], prefilter: ["(?i)api key not found"])])
        #expect(matcher.matches(in: "Error: Anthropic API key not found\n").count == 1)
        #expect(matcher.matches(in: "error: api key not found\n").count == 1)
    }

    @Test func aShortLiteralIsNotFoldedUnlessMarked() throws {
        // Folding "KEY" would make every "cache key" line a candidate; it stays case-sensitive.
        let matcher = try SignatureMatcher(patterns: [Self.pattern(["(?i)\\bkey\\b"], prefilter: ["KEY"])])
        #expect(matcher.matches(in: "cache key miss\n").isEmpty)
        #expect(matcher.matches(in: "missing KEY\n").count == 1)
        let marked = try SignatureMatcher(patterns: [Self.pattern(["(?i)\\bkey\\b"], prefilter: ["(?i)KEY"])])
        #expect(marked.matches(in: "cache key miss\n").count == 1)
    }

    @Test func aJSONEscapedLineIsMatchedUnescaped() throws {
        let matcher = try SignatureMatcher(patterns: [Self.pattern(["missing required field \"(?<column>\\w+)\""], prefilter: ["missing required field"])])
        let line = #"level=error msg="apply failed\nerror: ValidationError(Route.spec): missing required field \"host\" in RouteSpec""#
        let matches = matcher.matches(in: line + "\n")
        #expect(matches.first?.captures["column"] == "host")
    }

    @Test func anExclusionInTheBlockVetoesTheMatchButNotFarAway() throws {
        let matcher = try SignatureMatcher(patterns: [Self.pattern(["import cycle not allowed"], prefilter: ["import cycle not allowed"],
                                                                   exclusions: ["(?m)^\\s*imports runtime\\s*$"])])
        #expect(matcher.matches(in: "import cycle not allowed\npackage main\n\timports errors\n\timports runtime\n").isEmpty)
        #expect(matcher.matches(in: "import cycle not allowed\npackage a\n\timports b\n\timports a\n").count == 1)
        let far = "import cycle not allowed\n" + String(repeating: "noise\n", count: SignatureMatcher.blockRadius + 5) + "\timports runtime\n"
        #expect(matcher.matches(in: far).count == 1)
    }

    /// A model trained on three blocks of each class: the signature matches both texts and the
    /// model scores each by its block, with the words behind the score; both matches stand.
    @Test func theRecognitionModelScoresEachMatchByItsBlock() throws {
        let examples: [RecognitionModel.Example] = [
            .init(labels: ["p"], text: "sqlite3.OperationalError: database is locked"),
            .init(labels: ["p"], text: "SQLITE_BUSY: database is locked"),
            .init(labels: ["p"], text: "rusqlite: database is locked"),
            .init(labels: [], text: "git: Unable to create index.lock: File exists, another git process"),
            .init(labels: [], text: "git: index.lock exists; another git process seems to be running"),
            .init(labels: [], text: "Another git process: remove the index.lock file"),
        ]
        let model = RecognitionModel.train(examples, patternIDs: ["p"], trainedOn: ["test"], minimumDocuments: 1)
        let matcher = try SignatureMatcher(patterns: [Self.pattern(["locked|lock"], prefilter: ["lock"])], model: model)
        let near = matcher.matches(in: "fatal: Unable to create '/r/.git/index.lock': File exists.\nAnother git process seems to be running\n")
        #expect(near.count == 1)
        #expect((near.first?.score ?? 1) < 0.3)
        let real = matcher.matches(in: "sqlite3.OperationalError: database is locked\n")
        #expect(real.count == 1)
        #expect((real.first?.score ?? 0) > 0.8)
        #expect(real.first?.why?.contains("locked") == true)
        // Without a model nothing is scored.
        let plain = try SignatureMatcher(patterns: [Self.pattern(["locked|lock"], prefilter: ["lock"])]).matches(in: "index.lock exists\n")
        #expect(plain.count == 1 && plain.first?.score == nil && plain.first?.why == nil)
    }

    @Test func aBrokenExclusionNamesItsPattern() {
        #expect(throws: KnowledgeBaseParser.ParseError.self) {
            try SignatureMatcher(patterns: [Self.pattern(["x"], prefilter: ["x"], exclusions: ["(unclosed"])])
        }
    }
}
