using System.Buffers.Binary;
using System.Text;

namespace Harness.NativeFixup;

/// <summary>One symbol-version requirement of an ELF shared object (an entry of <c>.gnu.version_r</c>).</summary>
/// <param name="Library">The library the version is required from, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="IsWeak">Whether the requirement carries <c>VER_FLG_WEAK</c> (the loader then tolerates its absence).</param>
/// <param name="FlagsOffset">File offset of the entry's <c>vna_flags</c> field.</param>
public sealed record VersionRequirement(string Library, string Version, bool IsWeak, long FlagsOffset);

/// <summary>
/// Reads and edits the symbol-version sections of 64-bit little-endian ELF files: the versions an
/// object requires (<c>SHT_GNU_verneed</c>) and the versions a library defines (<c>SHT_GNU_verdef</c>).
/// </summary>
public static class ElfVersionRequirements
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    /// <summary>The ELF flag that makes a version requirement optional for the dynamic loader.</summary>
    public const ushort VerFlagWeak = 0x2;

    /// <summary>Every version requirement in <paramref name="elf"/>.</summary>
    public static IReadOnlyList<VersionRequirement> ReadRequirements(ReadOnlySpan<byte> elf)
    {
        var result = new List<VersionRequirement>();
        foreach (var (section, strings) in Sections(elf, ShtGnuVerneed))
        {
            long entry = section.Offset;
            for (int i = 0; i < section.Info; i++)
            {
                ushort count = U16(elf, entry + 2);
                string file = CString(elf, strings.Offset + U32(elf, entry + 4));
                long aux = entry + U32(elf, entry + 8);
                for (int j = 0; j < count; j++)
                {
                    ushort flags = U16(elf, aux + 4);
                    string name = CString(elf, strings.Offset + U32(elf, aux + 8));
                    result.Add(new VersionRequirement(file, name, (flags & VerFlagWeak) != 0, aux + 4));
                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(elf, entry + 12);
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    /// <summary>Every version name a library defines (its <c>.gnu.version_d</c>), e.g. <c>GLIBCXX_3.4.30</c>.</summary>
    public static IReadOnlySet<string> ReadDefinitions(ReadOnlySpan<byte> elf)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (section, strings) in Sections(elf, ShtGnuVerdef))
        {
            long entry = section.Offset;
            for (int i = 0; i < section.Info; i++)
            {
                ushort count = U16(elf, entry + 6);
                long aux = entry + U32(elf, entry + 12);
                for (int j = 0; j < count; j++)
                {
                    result.Add(CString(elf, strings.Offset + U32(elf, aux)));
                    uint nextAux = U32(elf, aux + 4);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(elf, entry + 16);
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Marks the requirement of <paramref name="version"/> weak in <paramref name="elf"/>, in place.
    /// Returns false when the object does not require that version or already marks it weak.
    /// </summary>
    public static bool MarkWeak(Span<byte> elf, string version)
    {
        bool changed = false;
        foreach (var requirement in ReadRequirements(elf))
        {
            if (requirement.Version != version || requirement.IsWeak) continue;
            var field = elf.Slice((int)requirement.FlagsOffset, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(field) | VerFlagWeak));
            changed = true;
        }
        return changed;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static IEnumerable<(Section Section, Section Strings)> Sections(ReadOnlySpan<byte> elf, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long tableOffset = (long)U64(elf, 0x28);
        ushort entrySize = U16(elf, 0x3A);
        ushort count = U16(elf, 0x3C);
        var all = new Section[count];
        for (int i = 0; i < count; i++)
        {
            long h = tableOffset + (long)i * entrySize;
            all[i] = new Section(U32(elf, h + 4), (long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20), U32(elf, h + 0x28), U32(elf, h + 0x2C));
        }
        var found = new List<(Section, Section)>();
        foreach (var s in all)
            if (s.Type == type) found.Add((s, all[s.Link]));
        return found;
    }

    private static ushort U16(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice((int)at, 2));
    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice((int)at, 4));
    private static ulong U64(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice((int)at, 8));

    private static string CString(ReadOnlySpan<byte> b, long at)
    {
        var rest = b.Slice((int)at);
        int end = rest.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? rest : rest.Slice(0, end));
    }
}
