import Foundation
import GraceCore

/// The failures a home has confirmed, as training examples: in each boot's training record
/// (`grace_training/startup_failures/boot_*.json`), a stage whose fix for a pattern was verified
/// to succeed gives its findings' text labelled with that pattern.
public enum ConfirmedIncidents {
    struct Record: Decodable {
        var stages: [StageOutcome]
    }

    /// The examples, and the record files that could not be read (named, so the caller can say so).
    public static func examples(in layout: GraceHomeLayout) -> (examples: [RecognitionModel.Example], unreadable: [String]) {
        let directory = layout.trainingDirectory
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("boot_") && $0.hasSuffix(".json") }.sorted()
        var examples: [RecognitionModel.Example] = []
        var unreadable: [String] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                  let record = try? JSONDecoder().decode(Record.self, from: data) else {
                unreadable.append(path)
                continue
            }
            for stage in record.stages {
                let confirmed = Set(stage.healing.filter(\.succeeded).compactMap(\.patternID))
                let text = stage.findings.map { [$0.message, $0.evidence].filter { !$0.isEmpty }.joined(separator: "\n") }
                    .joined(separator: "\n")
                if !confirmed.isEmpty && !text.isEmpty { examples.append(RecognitionModel.Example(labels: confirmed, text: text)) }
            }
        }
        return (examples, unreadable)
    }
}
