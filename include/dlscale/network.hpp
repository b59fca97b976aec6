#pragma once
/// A network as a DAG of layers (Boost.Graph inside), with shapes inferred from the input.
/// Parameter bytes drive t_comm; per-tensor sizes drive sharded-server placement; per-layer
/// multiply-adds drive calibration.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dlscale/data.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

enum class Precision { fp32, fp16 };
/// 4 for fp32, 2 for fp16 (and bf16).
constexpr int bytes_per_element(Precision p) { return p == Precision::fp32 ? 4 : 2; }
std::string_view to_string(Precision p);
/// "fp32", "fp16" or "bf16" (bf16 is stored as fp16: same size); throws ConfigError otherwise.
Precision parse_precision(std::string_view text);

enum class LayerKind {
  input, conv, fc, maxpool, avgpool, global_avgpool, batchnorm, lrn, relu, dropout, concat,
  add, softmax, flatten
};
std::string_view to_string(LayerKind k);

/// Per-sample activation shape: channels x height x width (a vector is c x 1 x 1).
struct Shape {
  std::int64_t c = 0, h = 0, w = 0;
  std::int64_t elements() const { return c * h * w; }
  friend bool operator==(const Shape&, const Shape&) = default;
};

/// One layer after shape inference, in topological (model) order.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::input;
  std::vector<std::string> inputs;  ///< names of the layers feeding it
  Shape in;                         ///< shape of the first input
  Shape out;
  // convolution / pooling geometry (zero where it does not apply)
  int kernel_h = 0, kernel_w = 0, stride = 1, pad = 0, groups = 1;
  int pad_w = 0;  ///< width padding; `pad` is the height padding (they differ for 1x7 convs)
  bool bias = true;
  std::int64_t params = 0;  ///< trainable elements
  std::int64_t macs = 0;    ///< forward multiply-adds per sample
  /// Counts written out (`out=`, as the ONNX importer does for operators no .net statement
  /// reproduces) rather than inferred: no geometry, so the probes cannot run it.
  bool given_counts = false;
};

/// One trainable tensor (weights or bias of a layer), in model order.
struct WeightTensor {
  std::string name;  ///< "<layer>/weight", "<layer>/bias", "<layer>/gamma", "<layer>/beta"
  std::vector<std::int64_t> dims;
  std::int64_t elements = 0;
};

/// Overrides of a description's `param` lines (input size, number of classes).
struct NetworkParams {
  std::map<std::string, std::int64_t> values;
};

class Network {
 public:
  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  const std::string& source() const { return source_; }  ///< file it was read from
  Shape input() const { return input_; }
  const std::vector<Layer>& layers() const { return layers_; }
  const std::vector<WeightTensor>& tensors() const { return tensors_; }
  /// Final values of the description's `param` lines after overrides.
  const std::map<std::string, std::int64_t>& params() const { return params_; }

  std::int64_t parameters() const;
  Bytes weight_bytes(Precision p) const;
  /// Bytes of each trainable tensor, in model order (input to algorithm 3.7).
  std::vector<std::uint64_t> tensor_bytes(Precision p) const;
  /// Forward multiply-adds for one sample.
  std::int64_t forward_macs() const;

 private:
  friend class NetworkBuilder;
  std::string name_, description_, source_;
  Shape input_;
  std::vector<Layer> layers_;
  std::vector<WeightTensor> tensors_;
  std::map<std::string, std::int64_t> params_;
};

/// Parses a description (format: data/networks/README.md). `source` names it in messages.
/// Throws ConfigError with file, line and field for any bad input.
Network parse_network(std::string_view text, std::string_view source,
                      const NetworkParams& overrides = {});

/// An ONNX model converted to a description (data/networks/README.md, "Importing ONNX").
struct OnnxImport {
  std::string net_text;            ///< the .net description; parse_network reads it back
  std::vector<std::string> notes;  ///< operators dlscale does not know, shapes it assumed
  Network network;                 ///< net_text parsed
};
/// Whether this build reads ONNX (the Meson feature `onnx`, libonnx-dev).
bool onnx_supported();
/// Reads an ONNX model: tensors from its initializers (shapes only; external or absent
/// weights are fine), shapes from ONNX shape inference, multiply-adds per node. Throws
/// ConfigError naming the file and what is wrong, or how to enable ONNX in this build.
OnnxImport import_onnx(std::string_view path);

/// Names of the networks in `data` ("networks/*.net"), in file order.
std::vector<std::string> network_names(const DataSource& data);
/// Loads a network by name (case-insensitive; the `name` line of its file) or, if `name_or_path`
/// names an existing file, from that file (a `.onnx` file is imported with import_onnx; it has
/// no `param` lines, so `overrides` must be empty). Throws ConfigError listing the known names.
Network load_network(std::string_view name_or_path, const DataSource& data,
                     const NetworkParams& overrides = {});

}  // namespace dlscale
