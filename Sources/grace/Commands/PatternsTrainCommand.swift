import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

/// `grace patterns train DIR`: trains the recognition model that rates each signature match.
struct PatternsTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the recognition model from a labelled corpus and the home's confirmed incidents.",
        discussion: """
            Fits a logistic (softmax) regression over the words and word pairs of every log of the chosen split \
            of a labelled corpus (a folder with SOURCES.tsv, such as Tests/Corpus/failures) and, unless \
            --no-home, of the home's confirmed incidents (stages of boot records whose fix was verified), with \
            one class per knowledge-base pattern and one for `none`. The model then rates the error block around every signature match: `grace diagnose` \
            prints the score and the words behind it. The score advises; the signatures decide what is found and healed. Writes the home's model (grace_training/startup_failures/recognition_model.tsv) \
            unless --output names another file. Exit 0 after writing, 2 on bad input.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Corpus folder holding SOURCES.tsv.") var directory: String
    @Option(help: "Which rows to learn from: a split the corpus's SOURCES.tsv names, or all.") var split = "train"
    @Option(help: ArgumentHelp("Write the model here instead of into the home.", valueName: "FILE")) var output: String?
    @Flag(help: "Leave out the home's confirmed incidents.") var noHome = false

    func run() async throws {
        // The corpus (and --split) first: a bad argument must not create a home.
        var examples: [RecognitionModel.Example]
        do {
            examples = try CorpusEvaluation(directory: directory).examples(split: split)
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false, home: .create)
        let knowledge = try runtime.knowledgeBase()
        var sources = ["\(directory) (\(split), \(examples.count) logs)"]
        if !noHome {
            let home = ConfirmedIncidents.examples(in: runtime.layout)
            for path in home.unreadable { printError("skipped unreadable boot record \(path)") }
            examples += home.examples
            sources.append("home \(runtime.settings.home) (\(home.examples.count) confirmed incidents)")
        }
        let model = RecognitionModel.train(examples, patternIDs: knowledge.patterns.map(\.id), trainedOn: sources)
        let target = output ?? runtime.layout.recognitionModel
        do {
            try FileWriting.replace(target, with: RecognitionModelFile.encode(model))
        } catch {
            printError("cannot write the model to \(target): \(error.localizedDescription)")
            throw GraceExit.configuration
        }
        print("trained on \(sources.joined(separator: " and ")): \(model.weights.count) features, \(model.classes.count) classes")
        for (name, count) in zip(model.classes, model.documents) { print("  \(name): \(count) blocks") }
        print("wrote \(target)")
    }
}
