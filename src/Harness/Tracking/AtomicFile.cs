namespace Harness.Tracking;

/// <summary>Writes files so a reader never sees half of one: a temporary file in the same folder, flushed, then renamed.</summary>
public static class AtomicFile
{
    /// <summary>Marks temporary files; the host and process follow, so stale ones can be told from live ones.</summary>
    public const string TemporaryMarker = ".tmp-";

    /// <summary>Temporary files of a live process on another host are left alone for this long.</summary>
    public static TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        string temporary = $"{path}{TemporaryMarker}{Environment.MachineName}-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // A full disk fails the write half way: the partial temporary file would otherwise stay forever.
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// Removes temporary files under <paramref name="directory"/> left by writers that died (killed, or a full disk
    /// in an older version): those of a process of this host that is gone, and any older than <see cref="StaleAfter"/>.
    /// Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, $"*{TemporaryMarker}*", SearchOption.AllDirectories))
        {
            try
            {
                bool old = DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleAfter;
                if (!old && !OwnerGone(Path.GetFileName(file))) continue;
                File.Delete(file);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>Whether the temporary file's writer was a process of this host that no longer runs (names: PATH.tmp-HOST-PID-THREAD, or PATH.tmp-PID-THREAD before hosts were recorded).</summary>
    private static bool OwnerGone(string name)
    {
        string tail = name[(name.LastIndexOf(TemporaryMarker, StringComparison.Ordinal) + TemporaryMarker.Length)..];
        var parts = tail.Split('-');
        if (parts.Length < 2 || !int.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)) return false;
        string host = string.Join('-', parts[..^2]);
        if (host.Length > 0 && host != Environment.MachineName) return false;
        if (pid == Environment.ProcessId) return false;
        return !Directory.Exists($"/proc/{pid}") && OperatingSystem.IsLinux();
    }
}
