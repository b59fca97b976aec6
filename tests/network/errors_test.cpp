// Bad descriptions: every one is a ConfigError naming file:line, the layer, and what was
// expected; none crashes or hangs.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

using namespace dlscale;

namespace {
std::string error_of(const std::string& text, NetworkParams p = {}) {
  try {
    parse_network(text, "t.net", p);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}
const std::string head = "name T\ninput x 3 8 8\n";  // lines 1-2 of most cases
}  // namespace

TEST_CASE("unknown layer type and unknown option") {
  CHECK(error_of(head + "fcc fc9 10\n") ==
        "t.net:3: layer 'fc9': unknown type 'fcc'; one of input, conv, fc, maxpool, avgpool, "
        "gavgpool, batchnorm, lrn, relu, dropout, concat, add, softmax, flatten");
  CHECK(error_of(head + "conv c 4 k=3 q=2\n") ==
        "t.net:3: layer 'c': unknown option 'q' for conv; one of k, kh, kw, s, p, ph, pw, g, bias");
  CHECK(error_of(head + "relu r k=3\n") == "t.net:3: layer 'r': unknown option 'k' for relu; it takes no options");
  CHECK(error_of(head + "conv c 4 k=0\n") ==
        "t.net:3: layer 'c': k: 0 is out of range; an integer in [1, 4096] expected");
  CHECK(error_of(head + "conv c 4\n") == "t.net:3: layer 'c': kernel size expected: k=<n> or kh=<n> kw=<n>");
}

TEST_CASE("inconsistent shapes") {
  CHECK(error_of(head + "conv a 4 k=1\nconv b 5 k=1 from=x\nadd s from=a,b\n") ==
        "t.net:5: layer 's': add of different shapes: 'a' is 4x8x8, 'b' is 5x8x8; equal shapes expected");
  CHECK(error_of(head + "conv a 4 k=1\nmaxpool b k=2 s=2 from=x\nconcat s from=a,b\n") ==
        "t.net:5: layer 's': concat of different sizes: 'a' is 8x8, 'b' is 4x4; equal height and "
        "width expected");
  CHECK(error_of("name T\ninput x 6 8 8\nconv a 4 k=1 g=4\n") ==
        "t.net:3: layer 'a': groups 4 do not divide input channels 6 and output channels 4; a "
        "common divisor expected");
  // 8 -> 4 -> 2 -> 1, then a 2x2 window no longer fits: (1 - 2)/2 + 1 <= 0
  CHECK(error_of(head + "maxpool p1 k=2 s=2\nmaxpool p2 k=2 s=2\nmaxpool p3 k=2 s=2\nmaxpool p4 k=2 s=2\n") ==
        "t.net:6: layer 'p4': output height would be <= 0 (input 1, kernel 2, pad 0); a larger "
        "input or smaller kernel expected");
  CHECK(error_of(head + "add s\n") == "t.net:3: layer 's': add takes 2 or more inputs; 1 given");
}

TEST_CASE("graph errors: cycle, duplicate, unknown reference, second input") {
  CHECK(error_of(head + "relu a from=c\nrelu b from=a\nrelu c from=b\n") ==
        "t.net:3: layer 'a': inputs form a cycle a -> b -> c -> a; from= must name layers that do "
        "not depend on this one");
  CHECK(error_of(head + "relu a\nrelu a\n") == "t.net:4: layer 'a': duplicate name; first defined at line 3");
  CHECK(error_of(head + "relu a from=nope\n") ==
        "t.net:3: layer 'a': input 'nope' is not a layer of T; a layer name expected");
  CHECK(error_of(head + "input y 3 8 8\n") ==
        "t.net:3: layer 'y': a second input (first 'x' at line 2); exactly one 'input <name> <c> "
        "<h> <w>' expected");
}

TEST_CASE("truncated files") {
  CHECK(error_of("") == "t.net: no 'name' line; 'name <network>' expected");
  CHECK(error_of("name T\n") == "t.net: no layers; at least an 'input' layer expected");
  CHECK(error_of("name T\nrelu a\n") ==
        "t.net:2: layer 'a': no previous layer to take input from; 'from=<layer>' expected");
  CHECK(error_of(head + "block f(a)\nconv c $a k=1\n") ==
        "t.net:3: block 'f': no 'end' before the end of the file");
  CHECK(error_of("name T\ninput x 3 8") ==
        "t.net:2: layer 'x': input takes 3 values (channels height width); 2 given");
}

TEST_CASE("params and blocks") {
  CHECK(error_of("name T\ninput x 3 $size 8\n") ==
        "t.net:2: layer 'x': undefined parameter '$size'; a 'param size <n>' line or one of: (none declared)");
  CHECK(error_of(head, {{{"clases", 3}}}) ==
        "t.net: param override 'clases=3': not a param of T; one of (none declared)");
  CHECK(error_of(head + "block f(a)\nconv c $a k=1\nend\nf y 1 2\n") ==
        "t.net:6: layer 'y': block 'f' takes 1 arguments (a); 2 given");
  // a block that uses itself stops at the nesting limit instead of recursing forever
  CHECK(error_of(head + "block f(a)\nf z 1\nend\nf y 1\n").find("blocks nest deeper than 16") !=
        std::string::npos);
}

TEST_CASE("huge inputs are rejected, not read") {
  // A hang would show as the test timing out; speed is not asserted here (benchmarks own it).
  // a 100 MB line in memory: split_lines stops at the first over-long line
  const std::string huge = "name T\n" + std::string(100u << 20, 'x');
  CHECK(error_of(huge) == "t.net:2: line is 104857600 bytes long; at most 4096 expected");
  // a 100 MB file on disk: rejected by its size before it is read
  const auto path = std::filesystem::temp_directory_path() / "dlscale_huge_test.net";
  { std::ofstream(path) << "name T\n"; }
  std::filesystem::resize_file(path, 100u << 20);
  CHECK_THROWS_WITH_AS(load_network(path.string(), DataSource::embedded()),
                       (path.string() + ": file is 104857600 bytes; at most 16777216 expected").c_str(),
                       ConfigError);
  std::filesystem::remove(path);
}

TEST_CASE("missing files and unknown names") {
  CHECK_THROWS_WITH_AS(load_network("/nonexistent/x.net", DataSource::embedded()),
                       "/nonexistent/x.net: cannot read: No such file or directory", ConfigError);
  try {
    load_network("nonesuch", DataSource::embedded());
    FAIL("no error");
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    CHECK(msg.starts_with("network 'nonesuch': neither a file nor a known network; one of "));
    CHECK(msg.find("VGG16E") != std::string::npos);
    CHECK(msg.find("ResNet34") != std::string::npos);
  }
}
