// Only the header matters: LLVMFuzzerRunDriver is defined by libFuzzer (compiler-rt).
#include "CFuzzerDriver.h"
