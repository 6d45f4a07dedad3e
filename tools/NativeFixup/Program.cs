using Harness.NativeFixup;

// Usage: NativeFixup OUTPUT_DIR — run by the build after TorchSharp's native files are copied.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: NativeFixup OUTPUT_DIR");
    return 2;
}
var system = LibTorchSharpFixup.SystemLibstdcxxVersions();
if (system is null)
{
    Console.WriteLine("NativeFixup: no system libstdc++.so.6 found; nothing changed.");
    return 0;
}
foreach (var line in LibTorchSharpFixup.Apply(args[0], system))
    Console.WriteLine("NativeFixup: " + line);
return 0;
