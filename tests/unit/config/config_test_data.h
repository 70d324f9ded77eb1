#pragma once

// Where config_test finds its files (tests/data/config).

#include <string>

#ifndef VIPD_CONFIG_TEST_DATA
#error "VIPD_CONFIG_TEST_DATA must name tests/data/config"
#endif

namespace vipd::config::testing {

inline const std::string kDataDir = VIPD_CONFIG_TEST_DATA;

}  // namespace vipd::config::testing
