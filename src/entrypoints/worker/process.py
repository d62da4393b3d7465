"""The module `agentry worker` hands to Dramatiq's CLI: each worker process imports it and finds `broker`."""

from __future__ import annotations

import dramatiq

from adapters.dramatiq.brokers import make_broker
from entrypoints.config import load_settings
from entrypoints.logs import configure_logging
from entrypoints.relay_wakeup import RelayWakeup
from entrypoints.worker.setup import equip_worker

settings = load_settings()
configure_logging(settings.log_level)
broker = make_broker(settings.broker)
dramatiq.set_broker(broker)
equip_worker(broker, settings, RelayWakeup(), with_relay=True)
