default_app_config = "payments.order.apps.OrderConfig"
