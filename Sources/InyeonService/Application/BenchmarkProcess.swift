import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A load or database tool the benchmarks run (wrk, pgbench): its output once it has finished.
///
/// Started with `posix_spawn` and an empty signal mask: the threads of this process block nearly
/// every signal (SwiftNIO and the runtime do), a child started as `Foundation.Process` does would
/// inherit that, and pgbench's `-T` ends on `SIGALRM`, which would then never arrive (it ran on
/// for good). SIGPIPE, which this process ignores, is given back its default too.
enum BenchmarkProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter environment: added to this process's own.
    static func output(of executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try await withCheckedThrowingContinuation { continuation in
            // Reading and waiting block: on a thread of their own, never on the cooperative pool.
            Thread {
                continuation.resume(with: Result { try run(executable, arguments, environment: merged) })
            }.start()
        }
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> String {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw Failure(description: "pipe() failed") }
        let (reading, writing) = (descriptors[0], descriptors[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writing, 1)
        posix_spawn_file_actions_adddup2(&actions, writing, 2)
        posix_spawn_file_actions_addclose(&actions, reading)
        posix_spawn_file_actions_addclose(&actions, writing)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        var byDefault = sigset_t()
        sigemptyset(&byDefault)
        for signal in [SIGPIPE, SIGALRM, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&byDefault, signal) }
        posix_spawnattr_setsigdefault(&attributes, &byDefault)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(writing)
        guard spawned == 0 else {
            close(reading)
            throw Failure(description: "could not start \(executable): \(String(cString: strerror(spawned)))")
        }
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(reading, &buffer, buffer.count)
            if count > 0 {
                output += buffer[0..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(reading)
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        let text = String(decoding: output, as: UTF8.self)
        // Exited normally with 0: the low 7 bits (the signal) and the exit code both zero.
        guard status == 0 else {
            throw Failure(description: "\((executable as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }
}
