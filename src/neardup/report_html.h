#pragma once
// The HTML cluster report (issue #7): a `neardup dedup` output folder -> one self-contained HTML
// page (inline CSS, JS and SVG; nothing is fetched) with the run summary, two charts, and each
// cluster's documents side by side: similarity to the representative, shared terms or shingles
// highlighted, removed boilerplate struck through in place with its reason. Original texts are
// re-read from the inputs report.json names and matched by id; an input that is gone is said so
// in the page and the cleaned text is shown. Every text is HTML-escaped. The first page of
// clusters is static HTML (works without JS); all clusters are embedded as escaped JSON and the
// page's script renders one page at a time. Single-threaded apart from re-reading the inputs
// (current TBB arena). Throws Error if OUTDIR's files are missing or malformed, or on write errors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace neardup {

// Size limits that keep the page usable for a dump of 100,000 documents (defaults in the fields).
struct HtmlReportLimits {
  std::size_t clusters_per_page = 50;  // clusters the script renders per page (and static page 1)
  std::size_t docs_shown_per_cluster = 8;  // members shown side by side; the rest listed by id
  std::size_t members_listed = 1000;       // of the rest, how many ids are listed per cluster
  std::size_t doc_text_bytes =
      64 << 10;  // text shown per document; longer texts are cut, with a note
  std::uint64_t total_text_bytes = 32ull << 20;  // text in the whole page; beyond it, notes only
  std::size_t others_listed = 200000;  // unclustered documents listed (id, decision, reason)
};

// The page for the dedup output in `outdir`, as a string.
std::string HtmlReport(const std::string& outdir, const HtmlReportLimits& limits = {});

// HtmlReport written atomically to `html_path` (write_atomic.h).
void WriteHtmlReport(const std::string& outdir, const std::string& html_path,
                     const HtmlReportLimits& limits = {});

// `text` with &, <, >, " and ' replaced by character references: safe in text and attributes.
std::string EscapeHtml(std::string_view text);

// "rtl" if the first strong character of `text` (UAX #9 rule P2) is right-to-left (Arabic,
// Hebrew, Syriac, Thaana, N'Ko, ...), "ltr" if it is left-to-right, "auto" if there is none.
const char* TextDirection(std::string_view text);

}  // namespace neardup
