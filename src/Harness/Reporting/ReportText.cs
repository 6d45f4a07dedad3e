using System.Net;
using System.Text;

namespace Harness.Reporting;

/// <summary>
/// Writes the same document as Markdown and as self-contained HTML, block by block, so the two never disagree.
/// Figures are linked from Markdown (relative paths) and embedded in HTML (base64 PNG).
/// </summary>
internal sealed class ReportText
{
    private readonly StringBuilder md = new(), html = new();

    public string Markdown => md.ToString();

    public void Heading(int level, string text)
    {
        md.Append('#', level).Append(' ').Append(text).Append("\n\n");
        html.Append($"<h{level}>").Append(Enc(text)).Append($"</h{level}>\n");
    }

    public void Paragraph(string text)
    {
        md.Append(text).Append("\n\n");
        html.Append("<p>").Append(Enc(text)).Append("</p>\n");
    }

    public void Bullets(IEnumerable<string> items)
    {
        html.Append("<ul>\n");
        foreach (var item in items)
        {
            md.Append("- ").Append(item).Append('\n');
            html.Append("<li>").Append(Enc(item)).Append("</li>\n");
        }
        md.Append('\n');
        html.Append("</ul>\n");
    }

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        md.Append("| ").Append(string.Join(" | ", header.Select(Cell))).Append(" |\n");
        md.Append('|').Append(string.Join("|", header.Select(_ => "---"))).Append("|\n");
        html.Append("<table>\n<thead><tr>").Append(string.Concat(header.Select(h => $"<th>{Enc(h)}</th>"))).Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
            html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{Enc(c)}</td>"))).Append("</tr>\n");
        }
        md.Append('\n');
        html.Append("</tbody>\n</table>\n");
    }

    public void Figure(FigureFile figure, string relativeDirectory)
    {
        string png = $"{relativeDirectory}/{figure.Name}.png";
        md.Append($"![{figure.Id}]({png})\n\n");
        md.Append($"*{figure.Id}. {figure.Caption}* Data: `{relativeDirectory}/{figure.Name}.csv`; vector: `{relativeDirectory}/{figure.Name}.svg`.\n\n");
        string data = Convert.ToBase64String(File.ReadAllBytes(figure.Png));
        html.Append("<figure>\n<img alt=\"").Append(Enc(figure.Id)).Append("\" src=\"data:image/png;base64,").Append(data).Append("\"/>\n");
        html.Append("<figcaption><b>").Append(Enc(figure.Id)).Append(".</b> ").Append(Enc(figure.Caption))
            .Append(" Data: <code>").Append(Enc($"{relativeDirectory}/{figure.Name}.csv")).Append("</code>.</figcaption>\n</figure>\n");
    }

    public string Html(string title) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + Enc(title) + "</title>\n<style>\n" +
        "body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }\n" +
        "h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }\n" +
        "table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; font-family: Helvetica, Arial, sans-serif; }\n" +
        "th, td { border-bottom: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }\n" +
        "th { border-bottom: 2px solid #444; }\n" +
        "figure { margin: 1.5rem 0; } figure img { max-width: 100%; } figcaption { font-size: 0.9rem; color: #444; }\n" +
        "code { font-size: 0.85rem; }\n" +
        "</style>\n</head>\n<body>\n" + html + "</body>\n</html>\n";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
