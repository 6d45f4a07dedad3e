using System.Text.RegularExpressions;

namespace Harness.Tests.Codebase;

/// <summary>Keeps procedures short enough to read in one screen: a long method is split into named steps, or says why it is not.</summary>
public sealed partial class MethodLengthTests
{
    /// <summary>Most lines of a method body, braces included.</summary>
    private const int MostLines = 60;

    /// <summary>A comment on the line above a declaration that says why it is longer (the reason must follow the colon).</summary>
    private const string Reason = "// Long on purpose:";

    [Fact]
    public void No_method_is_longer_than_sixty_lines_without_a_reason()
    {
        string source = Path.Combine(RepoPaths.Root, "src");
        var tooLong = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => LongMethods(f).Select(m => $"{Path.GetRelativePath(source, f)}:{m.Line} {m.Name} ({m.Lines} lines)"))
            .ToArray();
        Assert.True(tooLong.Length == 0, $"split these into named steps, or put '{Reason} <why>' above them:\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void The_scanner_finds_a_long_method_and_honours_a_reason()
    {
        string body = string.Join("\n", Enumerable.Range(0, MostLines).Select(i => $"        int x{i} = {i};"));
        string code = $"class C\n{{\n    public void Long(int a)\n    {{\n{body}\n    }}\n\n    {Reason} a table\n    private static int Kept()\n    {{\n{body}\n        return 0;\n    }}\n}}\n";
        string path = Path.Combine(Path.GetTempPath(), $"harness-long-{Guid.NewGuid():N}.cs");
        File.WriteAllText(path, code);
        try
        {
            var found = Assert.Single(LongMethods(path));
            Assert.Equal(("Long", 3, MostLines + 2), (found.Name, found.Line, found.Lines));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<(string Name, int Line, int Lines)> LongMethods(string path)
    {
        var lines = File.ReadAllLines(path);
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            var declaration = Declaration().Match(lines[i]);
            if (!declaration.Success || lines[i].Contains("=>", StringComparison.Ordinal)) continue; // expression-bodied
            // Allman braces: the body opens on the first line after the (possibly wrapped) signature.
            int open = i + 1;
            while (open < lines.Length && open - i < 6 && lines[open].Trim() != "{" && !lines[open].TrimEnd().EndsWith(';') && !lines[open].Contains("=>", StringComparison.Ordinal)) open++;
            if (open >= lines.Length || lines[open].Trim() != "{") continue;
            int depth = 0, close = open;
            for (; close < lines.Length; close++)
            {
                depth += Braces(lines[close]);
                if (depth == 0) break;
            }
            int length = close - open + 1;
            bool excused = i > 0 && lines[i - 1].TrimStart().StartsWith(Reason, StringComparison.Ordinal) && lines[i - 1].Trim().Length > Reason.Length;
            if (length > MostLines && !excused) yield return (declaration.Groups["name"].Value, i + 1, length);
            i = close;
        }
    }

    /// <summary>Opening minus closing braces outside string and character literals and comments.</summary>
    private static int Braces(string line)
    {
        int balance = 0;
        var code = Literals().Replace(line, "\"\"");
        int comment = code.IndexOf("//", StringComparison.Ordinal);
        if (comment >= 0) code = code[..comment];
        foreach (char c in code) balance += c == '{' ? 1 : c == '}' ? -1 : 0;
        return balance;
    }

    [GeneratedRegex(@"^\s+(?:(?:public|private|internal|protected|static|override|async|virtual|sealed|abstract|extern|unsafe|new|partial)\s+)+[\w<>\[\],\?\.\s\(\)]*?\b(?<name>\w+)(?:<[^>]*>)?\s*\(")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"@?\$?""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)'")]
    private static partial Regex Literals();
}
