import Testing

/// Every end-to-end suite, one test at a time. Their helpers wait for child processes
/// synchronously, and each such wait holds a thread of Swift's cooperative pool (as many threads
/// as cores: two here). Run side by side they starved every other async test in the process: the
/// soak's writers sent nothing in 20 s, and in-process PostgreSQL calls passed their deadline.
@Suite(.serialized) enum EndToEnd {}
