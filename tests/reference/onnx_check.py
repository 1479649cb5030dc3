#!/usr/bin/python3
"""Validate ONNX files with the onnx package's checker and strict shape inference.

Usage: /usr/bin/python3 tests/reference/onnx_check.py MODEL.onnx [MODEL.onnx ...]

Prints one JSON object per model on its own line:
  {"path", "opset", "status": "ok" | "failed" | "skipped", "reason"?, "outputs"?: {name: dims}}
"outputs" holds the inferred shape of every graph output (None for an unknown dimension, the
symbol for a dynamic one). A model whose ai.onnx opset is newer than this onnx release knows
(onnx 1.12: 17) is skipped with that reason. Exit status 1 when any model failed.
"""
import json
import sys

import onnx
from onnx import shape_inference


def ai_onnx_opset(model):
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return entry.version
    return None


def output_shapes(model):
    shapes = {}
    for output in model.graph.output:
        if not output.type.tensor_type.HasField("shape"):
            shapes[output.name] = None
            continue
        dims = []
        for dim in output.type.tensor_type.shape.dim:
            if dim.HasField("dim_value"):
                dims.append(dim.dim_value)
            elif dim.HasField("dim_param"):
                dims.append(dim.dim_param)
            else:
                dims.append(None)
        shapes[output.name] = dims
    return shapes


def inferred_output_shapes(inferred):
    # Graph outputs declared without a shape get it from value_info after inference.
    known = {info.name: info for info in inferred.graph.value_info}
    for output in inferred.graph.output:
        if not output.type.tensor_type.HasField("shape") and output.name in known:
            output.type.CopyFrom(known[output.name].type)
    return output_shapes(inferred)


def check(path):
    # Tensors stay on disk: the checker only verifies the external-data references.
    model = onnx.load(path, load_external_data=False)
    opset = ai_onnx_opset(model)
    newest = onnx.defs.onnx_opset_version()
    if opset is None or opset > newest:
        reason = f"onnx {onnx.__version__} knows opsets up to {newest}; the model uses {opset}"
        return {"path": path, "opset": opset, "status": "skipped", "reason": reason}
    try:
        onnx.checker.check_model(path)
        inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True, data_prop=True)
    except Exception as error:  # the checker raises several exception types
        return {"path": path, "opset": opset, "status": "failed", "reason": str(error).strip()}
    return {"path": path, "opset": opset, "status": "ok", "outputs": inferred_output_shapes(inferred)}


def main(paths):
    results = [check(path) for path in paths]
    for result in results:
        print(json.dumps(result))
    return 1 if any(result["status"] == "failed" for result in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
