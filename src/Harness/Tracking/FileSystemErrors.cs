namespace Harness.Tracking;

/// <summary>Recognizes the file-system failures a user fixes outside the harness (a full disk, a read-only folder).</summary>
public static class FileSystemErrors
{
    /// <summary>
    /// Whether <paramref name="e"/> is a full disk or an exhausted quota. On Unix .NET puts the errno in HResult
    /// (ENOSPC 28, EDQUOT 122); on Windows ERROR_DISK_FULL (112) or ERROR_HANDLE_DISK_FULL (39).
    /// </summary>
    public static bool IsDiskFull(Exception e) =>
        e is IOException && (e.HResult is 28 or 122 || (e.HResult & 0xFFFF) is 112 or 39 && (e.HResult >>> 16) == 0x8007
            || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="e"/> is a write refused by permissions or a read-only file system (EROFS 30).</summary>
    public static bool IsReadOnly(Exception e) =>
        e is UnauthorizedAccessException || (e is IOException && (e.HResult == 30 || e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)));
}
