#!/usr/bin/env python3
"""Embed the files under data/ into a C++ source, so dlscale runs with no data directory.

usage: embed.py OUTPUT.cpp DATA_DIR FILE...   (FILE paths are relative to DATA_DIR)
"""
import pathlib
import sys

DELIM = "dlscale_embedded"


def main() -> int:
    out, root, files = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sorted(sys.argv[3:])
    parts = ['#include "dlscale/data.hpp"', "", "namespace dlscale::detail {", "",
             "const std::vector<EmbeddedFile>& embedded_files() {",
             "  static const std::vector<EmbeddedFile> files = {"]
    for rel in files:
        text = (root / rel).read_text(encoding="utf-8")
        if f"){DELIM}\"" in text:
            sys.exit(f"embed.py: {rel} contains the raw-string delimiter")
        parts.append(f'    {{"{rel}", R"{DELIM}({text}){DELIM}"}},')
    parts += ["  };", "  return files;", "}", "", "}  // namespace dlscale::detail", ""]
    out.write_text("\n".join(parts), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
