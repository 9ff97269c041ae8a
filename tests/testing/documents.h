#pragma once
// Test helper: two document lists compared field by field (every Document member, removed spans
// included), so that a failure names the document and the field.
#include <string>
#include <vector>

#include "neardup/document.h"

namespace neardup::testing {

void ExpectSameDocuments(const std::vector<Document>& got, const std::vector<Document>& want,
                         const std::string& label);

}  // namespace neardup::testing
