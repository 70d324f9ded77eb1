#include "realtime.h"

#include <sched.h>

namespace vipd::lab {

bool tryRealtime() {
  sched_param param{};
  param.sched_priority = 50;
  // pid 0: the calling thread.
  return sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &param) == 0;
}

}  // namespace vipd::lab
