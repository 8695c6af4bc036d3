import Dispatch
import Foundation
import GraceBoot

/// SIGTERM and SIGINT while Grace boots: the boot stops after its current stage instead of the
/// process dying mid-snapshot or rolling back because its server went away. Once serving, the
/// service group's own handlers take over (dispatch delivers a signal to every source).
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(stopping context: BootContext) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { context.requestStop() }
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
