#include "neardup/error.h"

#include <system_error>

namespace neardup {

std::string Location::ToString() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line);
}

Error::Error(const std::string& message) : std::runtime_error(message) {}

Error::Error(const Location& where, const std::string& message)
    : std::runtime_error(where.ToString() + ": " + message) {}

std::string WithErrno(const std::string& message, int errno_value) {
  return message + ": " + std::error_code(errno_value, std::generic_category()).message();
}

}  // namespace neardup
