"""The WeChat official account channel (`complaint-bot wechat`)."""
