#pragma once
// The order in which an ONNX graph's nodes can run, and the errors that make it impossible.
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

namespace dlscale::onnx_import {

/// A node's name for messages: its own, else "<op_type> #<index>".
std::string node_label(const onnx::NodeProto& n, int index);

/// Indices of `g`'s nodes in topological order, earliest node first among the ready ones (the
/// file order when the file is sorted, as ONNX requires). Throws ConfigError naming `file` for
/// a cycle (with the nodes on it), an input that no node, initializer or graph input
/// provides, or a tensor written by two nodes.
std::vector<int> topological_order(const onnx::GraphProto& g, std::string_view file);

}  // namespace dlscale::onnx_import
