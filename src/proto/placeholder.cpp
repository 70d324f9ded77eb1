namespace vipd::proto {}
