# A test module for TorchScriptModuleTest: two methods, a list argument, an in-place write.
class Affine(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.Affine, x: Tensor, ws: List[Tensor], scale: int) -> Tensor:
    return torch.mm(x, ws[0].t()) * scale + ws[1]
  def clear_row(self: __torch__.Affine, x: Tensor, row: int) -> Tensor:
    x.select(0, row).fill_(0.0)
    return x.sum()
