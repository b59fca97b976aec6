#pragma once
// The small network both backends' gradient tests run: fan-out (r1 read by three layers), add,
// concat, grouped and 1x1 conv, batch norm, LRN, ceil-mode max pooling, average pooling,
// flatten, fc, softmax.
namespace dlscale::test {

inline constexpr const char* tiny_dag = R"(name tiny-dag
input   data 2 6 6
conv    c1 4 k=3 p=1
relu    r1
conv    a 4 k=1 from=r1
conv    b 4 k=3 p=1 g=2 from=r1
add     sum from=a,b,r1
concat  cat from=sum,a
batchnorm bn
lrn     norm
maxpool mp k=3 s=2 ceil=1
avgpool ap k=2 s=1
flatten flat
fc      out 3
softmax prob
)";

}  // namespace dlscale::test
