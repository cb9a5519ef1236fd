"""Board memo services, split by topic: rendering (answers to PDF), memos (the version
workflow) and delivery (sending memos to board members and serving downloads)."""
