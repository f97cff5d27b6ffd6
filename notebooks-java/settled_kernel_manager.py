"""A Jupyter kernel manager that starts rapaio-jupyter-kernel 3.0.1 reliably on a busy machine.

Two start-up races of that kernel make nbconvert fail with "Kernel didn't respond in 60 seconds":

1. The kernel binds its ZeroMQ sockets before it registers its message handlers
   (org.rapaio.jupyter.kernel.channels.Channels#connect). A kernel_info_request that arrives in
   between (nbclient sends one at once, and ZeroMQ delivers it the moment the socket is bound)
   kills the shell thread with a NullPointerException.
2. LoopThread#start calls Thread#start before it sets `running = true`; when the new thread runs
   first, its loop ends at once and the channel (often the shell) never reads a message.

So this manager waits until every port of the connection file is listening (read from
/proc/net/tcp: no connection is made), lets the kernel settle, and then checks with a client of its
own that the kernel answers; a kernel that does not is killed and started again (a new JVM
draws new thread timings), up to ATTEMPTS times. run-notebooks.sh passes it to nbconvert with
--ExecutePreprocessor.kernel_manager_class=settled_kernel_manager.SettledKernelManager.
"""
import asyncio
import time

from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.session import Session

SETTLE_SECONDS = 2.0
BIND_TIMEOUT_SECONDS = 120.0
ANSWER_TIMEOUT_SECONDS = 30.0
ATTEMPTS = 5


def _listening_ports():
    """Ports in LISTEN state, from /proc/net/tcp{,6}."""
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A":  # TCP_LISTEN
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


class SettledKernelManager(AsyncKernelManager):

    async def post_start_kernel(self, **kw):
        ports = {self.shell_port, self.iopub_port, self.stdin_port, self.control_port, self.hb_port}
        deadline = time.monotonic() + BIND_TIMEOUT_SECONDS
        while not ports <= _listening_ports():
            if time.monotonic() > deadline:
                raise RuntimeError("the kernel did not open its ports within %d s" % BIND_TIMEOUT_SECONDS)
            await asyncio.sleep(0.2)
        await asyncio.sleep(SETTLE_SECONDS)
        await KernelManager._async_post_start_kernel(self, **kw)

    async def start_kernel(self, **kw):
        for attempt in range(1, ATTEMPTS + 1):
            await KernelManager._async_start_kernel(self, **kw)
            if await self._answers():
                return
            self.log.warning("kernel start %d of %d: no answer in %d s; starting it again",
                             attempt, ATTEMPTS, ANSWER_TIMEOUT_SECONDS)
            await self.shutdown_kernel(now=True, restart=True)  # restart=True keeps the ZeroMQ context
        raise RuntimeError("the kernel did not answer after %d starts" % ATTEMPTS)

    async def _answers(self):
        # A session of its own: ZeroMQ identifies a client by its session id, and the kernel's
        # ROUTER socket refuses a second client that reuses the id of a recent one — which
        # nbclient's client, made from this manager's session, would otherwise be.
        probe = Session(key=self.session.key, signature_scheme=self.session.signature_scheme)
        kc = self.client(session=probe)
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=ANSWER_TIMEOUT_SECONDS)
            return True
        except RuntimeError:
            return False
        finally:
            kc.stop_channels()
