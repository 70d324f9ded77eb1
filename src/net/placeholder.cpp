namespace vipd::net {}
