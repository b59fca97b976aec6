#pragma once
/// Exceptions thrown at the boundaries (files, command line); asserts guard internal bugs.
#include <stdexcept>
#include <string>
#include <string_view>

namespace dlscale {

/// Base of every error dlscale reports to a user.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Bad input: a file, a field, a flag or a value. The CLI prints it and exits with code 2.
/// The message names the file, line and field, and what was expected.
struct ConfigError : Error {
  using Error::Error;
};

/// A hardware backend that this build does not contain.
struct BackendUnavailable : Error {
  explicit BackendUnavailable(std::string_view backend)
      : Error(std::string(backend) + " support not built; reconfigure with -D" +
              std::string(backend) + "=enabled") {}
};

}  // namespace dlscale
