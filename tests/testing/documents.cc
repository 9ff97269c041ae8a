#include "testing/documents.h"

#include <gtest/gtest.h>

namespace neardup::testing {

void ExpectSameDocuments(const std::vector<Document>& got, const std::vector<Document>& want,
                         const std::string& label) {
  ASSERT_EQ(got.size(), want.size()) << label;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const Document& a = got[i];
    const Document& b = want[i];
    SCOPED_TRACE(label + ", document " + std::to_string(i));
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.id_is_number, b.id_is_number);
    EXPECT_EQ(a.ordinal, b.ordinal);
    EXPECT_EQ(a.source.file, b.source.file);
    EXPECT_EQ(a.source.line, b.source.line);
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.extra_fields, b.extra_fields);
    EXPECT_EQ(a.rejected, b.rejected);
    EXPECT_EQ(a.reject_detail, b.reject_detail);
    EXPECT_EQ(a.utf8_repairs, b.utf8_repairs);
    EXPECT_EQ(a.time, b.time);
    ASSERT_EQ(a.removed.size(), b.removed.size());
    for (std::size_t k = 0; k < a.removed.size(); ++k) {
      EXPECT_EQ(a.removed[k].first_line, b.removed[k].first_line);
      EXPECT_EQ(a.removed[k].last_line, b.removed[k].last_line);
      EXPECT_EQ(a.removed[k].content_lines, b.removed[k].content_lines);
      EXPECT_EQ(a.removed[k].reason, b.removed[k].reason);
    }
  }
}

}  // namespace neardup::testing
