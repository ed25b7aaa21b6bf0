/// Per-task values every log line carries (read by the log handler's metadata provider).
public enum LogContext {
    @TaskLocal public static var correlationID: String?
    @TaskLocal public static var workspaceID: String?
}
