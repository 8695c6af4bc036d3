import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GraceBoot
import GraceCore
import GraceStore

struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Show the startup dashboard: boot status, runs, approvals, metrics, verification, issues and health score.",
        discussion: """
            Reads this home's store directly, or with --url the GET /api/startup/dashboard of a running \
            server (e.g. --url http://127.0.0.1:8000), sending GRACE_API_TOKEN from the settings as a bearer \
            token when one is set. --watch redraws in place every --interval seconds \
            until Ctrl-C. Exit 2 when the server cannot be reached or does not answer with a dashboard.
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Read from a running server instead of the store.", valueName: "url")) var url: String?
    @Flag(help: "Print the dashboard value as JSON (one line per refresh with --watch).") var json = false
    @Flag(help: "Redraw in place until Ctrl-C.") var watch = false
    @Option(help: ArgumentHelp("Seconds between redraws with --watch.", valueName: "seconds")) var interval: Double = 2
    @Option(help: ArgumentHelp("Columns to draw in (default: the terminal's width, or 80).", valueName: "columns")) var width: Int?

    func run() async throws {
        if !(interval > 0 && interval.isFinite) {
            printError("--interval must be a positive number of seconds, got \(interval)")
            throw GraceExit.configuration
        }
        if let width, width < 1 {
            printError("--width must be positive, got \(width)")
            throw GraceExit.configuration
        }
        let source = try await makeSource()
        let terminal = isatty(STDOUT_FILENO) == 1
        let colored = terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

        // The first read decides: a wrong URL or a broken store is an error, not a screen to watch.
        var dashboard: StartupDashboard
        do {
            dashboard = try await source.read()
        } catch let error as DashboardSourceError {
            printError(error.message)
            await source.close()
            // A store that cannot be read is exit 3 like every command; a server that does not answer is 2.
            throw source.baseURL == nil ? GraceExit.store : GraceExit.configuration
        }
        guard watch else {
            emit(dashboard, baseURL: source.baseURL, terminal: terminal, colored: colored, failure: nil, redraw: false)
            await source.close()
            return
        }
        var failure: String?
        while true {
            emit(dashboard, baseURL: source.baseURL, terminal: terminal, colored: colored, failure: failure, redraw: true)
            try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            // Later failures (a server restarting) are shown above the last good dashboard, and retried.
            do {
                dashboard = try await source.read()
                failure = nil
            } catch let error as DashboardSourceError {
                failure = error.message
                if json { printError(error.message) }
            }
        }
    }

    private func makeSource() async throws -> DashboardSource {
        if let url {
            var base = url.trimmingCharacters(in: .whitespaces)
            while base.hasSuffix("/") { base.removeLast() }
            guard let parsed = URL(string: base + "/api/startup/dashboard"), let scheme = parsed.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", parsed.host != nil else {
                printError("--url must be an http(s) address such as http://127.0.0.1:8000, got '\(url)'")
                throw GraceExit.configuration
            }
            // The server wants the token on every read when it has one; ours comes from the settings.
            let loaded = try options.loadSettings()
            return .server(base: base, endpoint: parsed, token: loaded.settings.apiToken)
        }
        let runtime = try Runtime.start(options, label: "grace.dashboard", console: false, home: .existing)
        let store = try await runtime.openStore()
        return .store(store, StartupDashboardBuilder(repositories: store.repositories, layout: runtime.layout, settings: runtime.settings))
    }

    private func emit(_ dashboard: StartupDashboard, baseURL: String?, terminal: Bool, colored: Bool, failure: String?, redraw: Bool) {
        var text: String
        if json {
            text = (try? String(decoding: JSONEncoder.graceCompact.encode(dashboard), as: UTF8.self)) ?? "{}"
            text += "\n"
        } else {
            let columns = width ?? Self.terminalColumns() ?? 80
            text = DashboardText.render(dashboard, width: columns, colored: colored, baseURL: baseURL)
            if let failure {
                let note = "last refresh failed: " + failure
                text = (colored ? "\u{1B}[31m\(note)\u{1B}[0m" : note) + "\n" + text
            }
            if redraw {
                // Clear the screen and home the cursor on a terminal; separate frames with a blank line in a pipe.
                text = terminal ? "\u{1B}[H\u{1B}[2J" + text + "\n" : text + "\n\n"
            } else {
                text += "\n"
            }
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The terminal's width from the tty, else `COLUMNS`; nil when neither is known.
    static func terminalColumns() -> Int? {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }
    }
}

/// Where the dashboard comes from: this home's store, or a running server's API.
enum DashboardSource {
    case store(any GraceStoreBackend, StartupDashboardBuilder)
    case server(base: String, endpoint: URL, token: String?)

    func read() async throws -> StartupDashboard {
        switch self {
        case .store(_, let builder):
            do {
                return try await builder.build()
            } catch {
                throw DashboardSourceError(message: "cannot read the dashboard from the store: \(error)")
            }
        case .server(_, let endpoint, let token):
            return try await Self.fetch(endpoint, token: token)
        }
    }

    /// The server's address, for full quick links; nil for the store.
    var baseURL: String? {
        if case .server(let base, _, _) = self { return base }
        return nil
    }

    func close() async {
        if case .store(let store, _) = self { try? await store.shutdown() }
    }

    static func fetch(_ endpoint: URL, token: String?) async throws -> StartupDashboard {
        var request = URLRequest(url: endpoint, timeoutInterval: 10)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await ShieldedHTTP.data(for: request)
        } catch {
            throw DashboardSourceError(message: "cannot reach \(endpoint.absoluteString): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw DashboardSourceError(message: "GET \(endpoint.absoluteString) did not answer over HTTP")
        }
        if http.statusCode == 401 {
            throw DashboardSourceError(message: "GET \(endpoint.absoluteString) answered HTTP 401: the server needs its API token; "
                + (token == nil ? "set GRACE_API_TOKEN (environment or .env)" : "GRACE_API_TOKEN here is not the server's"))
        }
        guard http.statusCode == 200 else {
            let body = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DashboardSourceError(message: "GET \(endpoint.absoluteString) answered HTTP \(http.statusCode)"
                + (body.isEmpty ? "" : ": \(body)"))
        }
        do {
            return try JSONDecoder().decode(StartupDashboard.self, from: data)
        } catch {
            throw DashboardSourceError(message: "GET \(endpoint.absoluteString) did not return a startup dashboard: \(error)")
        }
    }
}

struct DashboardSourceError: Error {
    var message: String
}
