#include "nn/network/gemm_onednn.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>

namespace mnist {
namespace {

dnnl::engine& Engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

}  // namespace

std::string OneDnnVersion() {
  const dnnl_version_t* v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

struct OneDnnGemm::Primitive {
  dnnl::matmul matmul;
  dnnl::stream stream;
  dnnl::memory src, weights, bias, dst;
  std::unordered_map<int, dnnl::memory> args;  // the same handles, by argument
};

OneDnnGemm::OneDnnGemm(const GemmShape& shape) : shape_(shape) {}
OneDnnGemm::~OneDnnGemm() = default;

OneDnnGemm::Primitive& OneDnnGemm::Get(int post) {
  std::unique_ptr<Primitive>& p = primitives_[post];
  if (p) return *p;
  using dnnl::memory;
  using tag = memory::format_tag;
  const GemmShape& s = shape_;
  const memory::desc src({s.n, s.k}, memory::data_type::f32, s.transpose_b ? tag::ba : tag::ab);
  const memory::desc weights({s.k, s.m}, memory::data_type::f32, s.transpose_a ? tag::ba : tag::ab);
  const memory::desc dst({s.n, s.m}, memory::data_type::f32, tag::ab);
  const memory::desc bias({1, s.m}, memory::data_type::f32, tag::ab);
  dnnl::primitive_attr attr;
  if (post == 2) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  const dnnl::matmul::desc desc =
      post > 0 ? dnnl::matmul::desc(src, weights, bias, dst) : dnnl::matmul::desc(src, weights, dst);
  dnnl::engine& engine = Engine();
  p = std::make_unique<Primitive>(Primitive{dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, engine)),
                                            dnnl::stream(engine), memory(src, engine, nullptr),
                                            memory(weights, engine, nullptr), memory(bias, engine, nullptr),
                                            memory(dst, engine, nullptr), {}});
  p->args = {{DNNL_ARG_SRC, p->src}, {DNNL_ARG_WEIGHTS, p->weights}, {DNNL_ARG_DST, p->dst}};
  if (post > 0) p->args[DNNL_ARG_BIAS] = p->bias;
  return *p;
}

void OneDnnGemm::Run(const float* a, const float* b, const float* bias, bool relu, float* c) {
  Primitive& p = Get(bias == nullptr ? 0 : relu ? 2 : 1);
  // oneDNN reads src, weights and bias only; its handles are not const.
  p.src.set_data_handle(const_cast<float*>(b));
  p.weights.set_data_handle(const_cast<float*>(a));
  p.dst.set_data_handle(c);
  if (bias != nullptr) p.bias.set_data_handle(const_cast<float*>(bias));
  p.matmul.execute(p.stream, p.args);
  p.stream.wait();
}

}  // namespace mnist
