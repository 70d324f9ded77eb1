namespace vipd::config {}
