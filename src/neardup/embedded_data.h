#pragma once
// The files of the project's data/ folder (boilerplate lexicon, stopword lists, ...), embedded in
// the binary at build time by cmake/embed_data.cmake, so nothing is looked up on disk at run time.
// Views are valid for the life of the program; thread-safe.
#include <span>
#include <string_view>

namespace neardup {

struct EmbeddedFile {
  std::string_view name;     // file name inside data/, e.g. "boilerplate_markers.tsv"
  std::string_view content;  // its bytes
};

std::span<const EmbeddedFile> EmbeddedDataFiles();

// The content of data/<name>; throws neardup::Error if there is no such file.
std::string_view EmbeddedData(std::string_view name);

}  // namespace neardup
