// The shipped networks: parameter counts equal the published ones, MACs, tensors, shapes and
// overrides. Each count names its source; arithmetic checks derive the numbers by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "dlscale/network.hpp"
#include "find_layer.hpp"

using namespace dlscale;

namespace {
Network net(std::string_view name, NetworkParams p = {}) {
  return load_network(name, DataSource::from_environment(), p);
}
using test::layer;
}  // namespace

TEST_CASE("published parameter counts at 1000 classes and the standard input") {
  // torchvision model summaries (torchvision.models.*, sum of p.numel()), and the papers:
  CHECK(net("VGG16").parameters() == 138'357'544);       // torchvision vgg16
  CHECK(net("VGG19").parameters() == 143'667'240);       // torchvision vgg19
  CHECK(net("VGG16E").parameters() == 143'667'240);      // thesis table 2.1 = configuration E
  CHECK(net("AlexNet").parameters() == 61'100'840);      // torchvision alexnet
  CHECK(net("ResNet34").parameters() == 21'797'672);     // torchvision resnet34
  CHECK(net("ResNet50").parameters() == 25'557'032);     // torchvision resnet50
  CHECK(net("ResNet152").parameters() == 60'192'808);    // torchvision resnet152
  CHECK(net("SqueezeNet").parameters() == 1'248'424);    // torchvision squeezenet1_0
  CHECK(net("SqueezeNet1.1").parameters() == 1'235'496); // torchvision squeezenet1_1
  CHECK(net("Inception-v3").parameters() == 23'834'568); // torchvision, aux_logits=False
  CHECK(net("Inception-v3-aux").parameters() == 27'161'264);  // torchvision, aux_logits=True
  CHECK(net("MNIST-MLP").parameters() == 111'146);
}

TEST_CASE("GoogLeNet: 6,998,552 without aux (Caffe bvlc_googlenet), by arithmetic") {
  // stem: conv1 7*7*3*64+64 = 9,472; conv2/3x3_reduce 64*64+64 = 4,160;
  //       conv2/3x3 9*64*192+192 = 110,784                      -> 124,416
  // inception(in; c1,r3,c3,r5,c5,pp) = in*(c1+r3+r5+pp) + 9*r3*c3 + 25*r5*c5 + (c1+r3+c3+r5+c5+pp)
  //   3a (192; 64,96,128,16,32,32):   192*208 + 110,592 + 12,800 + 368   = 163,696
  //   3b (256; 128,128,192,32,96,64): 256*352 + 221,184 + 76,800 + 640   = 388,736
  //   4a (480; 192,96,208,16,48,64):  480*368 + 179,712 + 19,200 + 624   = 376,176
  //   4b (512; 160,112,224,24,64,64): 512*360 + 225,792 + 38,400 + 648   = 449,160
  //   4c (512; 128,128,256,24,64,64): 512*344 + 294,912 + 38,400 + 664   = 510,104
  //   4d (512; 112,144,288,32,64,64): 512*352 + 373,248 + 51,200 + 704   = 605,376
  //   4e (528; 256,160,320,32,128,128): 528*576 + 460,800 + 102,400 + 1,024 = 868,352
  //   5a (832; 256,160,320,32,128,128): 832*576 + 460,800 + 102,400 + 1,024 = 1,043,456
  //   5b (832; 384,192,384,48,128,128): 832*752 + 663,552 + 153,600 + 1,264 = 1,444,080
  //   modules sum 5,849,136; classifier 1024*1000+1000 = 1,025,000
  // total 124,416 + 5,849,136 + 1,025,000 = 6,998,552
  const auto g = net("GoogLeNet");
  CHECK(layer(g, "inception_3a/output").params == 0);
  CHECK(g.parameters() == 6'998'552);
  CHECK(layer(g, "inception_4e/output").out == Shape{832, 14, 14});
  CHECK(layer(g, "pool5/7x7_s1").out == Shape{1024, 1, 1});
  // aux on 4a (512 ch): 512*128+128 = 65,664; fc 2048*1024+1024 = 2,098,176; fc 1,025,000
  //   -> 3,188,840; aux on 4d (528 ch): 528*128+128 = 67,712 -> 3,190,888
  // with aux: 6,998,552 + 3,188,840 + 3,190,888 = 13,378,280
  const auto a = net("googlenet-aux");
  CHECK(layer(a, "loss1/ave_pool").out == Shape{512, 4, 4});  // floor((14-5)/3)+1 = 4
  CHECK(a.parameters() == 13'378'280);
}

TEST_CASE("CIFAR-10 CNN: 32/64/128 3x3 convs, three 2x2 pools, dense 10") {
  // conv1 9*3*32+32 = 896; conv2 9*32*64+64 = 18,496; conv3 9*64*128+128 = 73,856;
  // 32 -> 16 -> 8 -> 4, so the dense layer sees 128*4*4 = 2,048: 2,048*10+10 = 20,490
  // total 896 + 18,496 + 73,856 + 20,490 = 113,738
  const auto n = net("CIFAR10-CNN");
  CHECK(layer(n, "flat").out == Shape{2048, 1, 1});
  CHECK(n.parameters() == 113'738);
}

TEST_CASE("forward multiply-adds per sample") {
  // VGG16 at 224: 15.47 G MACs is the commonly cited figure (convs 15.35 G + fc 0.12 G).
  // fc part by hand: 25,088*4,096 + 4,096*4,096 + 4,096*1,000 = 102,760,448 + 16,777,216
  //   + 4,096,000 = 123,633,664. conv1_1: 224*224*64 outputs * 27 = 86,704,128.
  const auto v = net("VGG16");
  CHECK(layer(v, "conv1_1").macs == 86'704'128);
  CHECK(layer(v, "fc6").macs + layer(v, "fc7").macs + layer(v, "fc8").macs == 123'633'664);
  CHECK(static_cast<double>(v.forward_macs()) == doctest::Approx(15.47e9).epsilon(0.005));
  // ResNet50 at 224: 4.09 G MACs (torchvision / fvcore count, convs + fc).
  CHECK(static_cast<double>(net("ResNet50").forward_macs()) == doctest::Approx(4.09e9).epsilon(0.01));
}

TEST_CASE("tensor lists: weight then bias per layer, gamma then beta per batchnorm") {
  // VGG16: 13 conv + 3 fc layers, each a weight and a bias -> 32 tensors
  CHECK(net("VGG16").tensors().size() == 32);
  // ResNet34: 36 convs without bias (1 stem + 32 in blocks + 3 projections), 36 batchnorms
  // (2 tensors each) and the fc (2) -> 36 + 72 + 2 = 110
  const auto r = net("ResNet34");
  CHECK(r.tensors().size() == 110);
  CHECK(r.tensors()[0].name == "conv1/weight");
  CHECK(r.tensors()[1].name == "bn1/gamma");
  CHECK(r.tensors().back().name == "fc/bias");
  std::uint64_t sum = 0;
  for (auto b : r.tensor_bytes(Precision::fp16)) sum += b;
  CHECK(sum == 2u * 21'797'672u);
  CHECK(r.weight_bytes(Precision::fp32).v == 4u * 21'797'672u);
}

TEST_CASE("shapes of a few layers") {
  const auto r = net("ResNet34");
  CHECK(layer(r, "maxpool").out == Shape{64, 56, 56});
  CHECK(layer(r, "layer2.0/sum").out == Shape{128, 28, 28});
  CHECK(layer(r, "layer4.2/relu").out == Shape{512, 7, 7});
  const auto s = net("SqueezeNet");
  CHECK(layer(s, "conv1").out == Shape{96, 109, 109});    // floor((224-7)/2)+1 = 109
  CHECK(layer(s, "pool1").out == Shape{96, 54, 54});      // ceil((109-3)/2)+1 = 54
  CHECK(layer(s, "fire9/concat").out == Shape{512, 13, 13});
  const auto i = net("Inception-v3");
  CHECK(layer(i, "Mixed_5b/output").out == Shape{256, 35, 35});
  CHECK(layer(i, "Mixed_6e/output").out == Shape{768, 17, 17});
  CHECK(layer(i, "Mixed_7c/output").out == Shape{2048, 8, 8});
}

TEST_CASE("classes and input overrides change the count as arithmetic predicts") {
  // VGG16E at 256 classes: fc8 shrinks from 4096*1000+1000 = 4,097,000 to 4096*256+256 = 1,048,832
  CHECK(net("VGG16E", {{{"classes", 256}}}).parameters() == 143'667'240 - 4'097'000 + 1'048'832);
  // VGG16E at input 128: fc6 sees 512*4*4 = 8,192 instead of 25,088 inputs:
  //   -(25,088 - 8,192) * 4,096 = -69,206,016
  CHECK(net("VGG16E", {{{"input", 128}}}).parameters() == 143'667'240 - 69'206'016);
  // ResNet34 is global-pooled: the input does not matter; the fc is 512*classes+classes
  CHECK(net("ResNet34", {{{"input", 128}}}).parameters() == 21'797'672);
  CHECK(net("ResNet34", {{{"classes", 10}}}).parameters() == 21'797'672 - 513'000 + 5'130);
}

TEST_CASE("network names, case-insensitive look-up, paths") {
  const auto names = network_names(DataSource::from_environment());
  CHECK(names.size() == 15);
  CHECK(std::find(names.begin(), names.end(), "GoogLeNet-aux") != names.end());
  CHECK(net("vgg16e").name() == "VGG16E");
  CHECK(net("RESNET34").name() == "ResNet34");
  const char* dir = std::getenv("DLSCALE_DATA_DIR");  // set by meson test (tests/meson.build)
  REQUIRE(dir != nullptr);
  const auto path = std::string(dir) + "/networks/mlp_mnist.net";
  CHECK(load_network(path, DataSource::embedded()).parameters() == 111'146);
  // the embedded copy matches the directory
  CHECK(load_network("ResNet152", DataSource::embedded()).parameters() == 60'192'808);
}
