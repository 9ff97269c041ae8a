#include "neardup/document.h"

namespace neardup {

const char* RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kMalformedJson: return "malformed_json";
    case RejectReason::kMissingText: return "missing_text";
    case RejectReason::kBadId: return "bad_id";
    case RejectReason::kDuplicateId: return "duplicate_id";
    case RejectReason::kInvalidUtf8: return "invalid_utf8";
    case RejectReason::kEmpty: return "empty";
    case RejectReason::kTooLarge: return "too_large";
  }
  return "unknown";
}

}  // namespace neardup
