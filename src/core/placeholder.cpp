namespace vipd::core {}
