// Thesis finding: which input size and head set make the measured t_comm (table 6.1, 1 Gbit/s)
// one consistent bandwidth? The thesis trained on Caltech-256, so 256 classes throughout.
#include <doctest/doctest.h>

#include <algorithm>

#include "dlscale/network.hpp"

using namespace dlscale;

namespace {
Network at(std::string_view name, std::int64_t input) {
  return load_network(name, DataSource::from_environment(), {{{"classes", 256}, {"input", input}}});
}
double mb_per_s(const Network& n, double t_comm_s) {
  return static_cast<double>(n.weight_bytes(Precision::fp32).v) / t_comm_s / 1e6;
}
}  // namespace

TEST_CASE("parameter counts of the thesis's networks at 256 classes") {
  // each classifier of c classes on k inputs has k*c + c params; 1000 -> 256 classes:
  // VGG16E fc8: 143,667,240 - 4,097,000 + 1,048,832 = 140,619,072
  CHECK(at("VGG16E", 224).parameters() == 140'619'072);
  // GoogLeNet: 6,998,552 - 1,025,000 + (1024*256 + 256 = 262,400) = 6,235,952
  CHECK(at("GoogLeNet", 224).parameters() == 6'235'952);
  // with aux: 13,378,280 - 3 * 1,025,000 + 3 * 262,400 = 11,090,480
  CHECK(at("GoogLeNet-aux", 224).parameters() == 11'090'480);
  // SqueezeNet conv10: 1,248,424 - 513,000 + (512*256 + 256 = 131,328) = 866,752
  CHECK(at("SqueezeNet", 224).parameters() == 866'752);
  // ResNet34 fc: 21,797,672 - 513,000 + 131,328 = 21,416,000
  CHECK(at("ResNet34", 224).parameters() == 21'416'000);
  // at 128: VGG16E fc6 sees 512*4*4 = 8,192 instead of 25,088 inputs: -16,896*4,096
  CHECK(at("VGG16E", 128).parameters() == 140'619'072 - 69'206'016);
  // aux heads: 8x8 at 4a/4d -> 2x2 after the 5x5/3 pool, fc 1024 sees 512 instead of 2048
  //   inputs: -2 * 1,536 * 1,024 = -3,145,728
  CHECK(at("GoogLeNet-aux", 128).parameters() == 11'090'480 - 3'145'728);
  // global pooling: the main paths do not depend on the input size
  CHECK(at("GoogLeNet", 128).parameters() == 6'235'952);
  CHECK(at("SqueezeNet", 128).parameters() == 866'752);
  CHECK(at("ResNet34", 128).parameters() == 21'416'000);
}

TEST_CASE("thesis t_comm fits one bandwidth only at input 224 without auxiliary heads") {
  // table 6.1: t_comm over 1 Gbit/s (125 MB/s line rate)
  const double vgg = 5.153, goog = 0.210, squeeze = 0.033, resnet = 0.811;
  // 224, no aux: 562,476,288 B / 5.153 s = 109.2 MB/s; 24,943,808 / 0.210 = 118.8;
  //   3,467,008 / 0.033 = 105.1; 85,664,000 / 0.811 = 105.6 -> all 84-95 % of line rate
  const double rates[] = {mb_per_s(at("VGG16E", 224), vgg), mb_per_s(at("GoogLeNet", 224), goog),
                          mb_per_s(at("SqueezeNet", 224), squeeze),
                          mb_per_s(at("ResNet34", 224), resnet)};
  const auto [lo, hi] = std::minmax_element(std::begin(rates), std::end(rates));
  CHECK(*lo > 100.0);
  CHECK(*hi < 125.0);
  CHECK(*hi / *lo < 1.15);
  CHECK(rates[0] == doctest::Approx(109.16).epsilon(0.001));
  // with aux heads GoogLeNet would need 44,361,920 B / 0.210 s = 211 MB/s, above line rate
  CHECK(mb_per_s(at("GoogLeNet-aux", 224), goog) > 125.0);
  // at 128, VGG16E would move 285,652,224 B in 5.153 s = 55 MB/s, half the others
  CHECK(mb_per_s(at("VGG16E", 128), vgg) == doctest::Approx(55.4).epsilon(0.002));
}
