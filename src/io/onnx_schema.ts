// The part of ONNX's protobuf schema (onnx.proto, IR version 8) that an MLP graph needs, as a
// protobufjs JSON descriptor: message and field names and numbers as the ONNX spec fixes them.
// Fields we never write are left out; protobuf readers skip what they do not know, and we only
// encode.
import protobuf from 'protobufjs';

const f = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });

const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: f('string', 1),
            f: f('float', 2),
            i: f('int64', 3),
            type: f('int32', 20),
          },
        },
        NodeProto: {
          fields: {
            input: f('string', 1, 'repeated'),
            output: f('string', 2, 'repeated'),
            name: f('string', 3),
            opType: f('string', 4),
            attribute: f('AttributeProto', 5, 'repeated'),
          },
        },
        TensorProto: {
          fields: {
            dims: f('int64', 1, 'repeated'),
            dataType: f('int32', 2),
            name: f('string', 8),
            rawData: f('bytes', 9),
          },
        },
        TensorShapeProto: {
          fields: { dim: f('Dimension', 1, 'repeated') },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: f('int64', 1), dimParam: f('string', 2) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: { tensorType: f('Tensor', 1) },
          nested: { Tensor: { fields: { elemType: f('int32', 1), shape: f('TensorShapeProto', 2) } } },
        },
        ValueInfoProto: { fields: { name: f('string', 1), type: f('TypeProto', 2), docString: f('string', 3) } },
        GraphProto: {
          fields: {
            node: f('NodeProto', 1, 'repeated'),
            name: f('string', 2),
            initializer: f('TensorProto', 5, 'repeated'),
            docString: f('string', 10),
            input: f('ValueInfoProto', 11, 'repeated'),
            output: f('ValueInfoProto', 12, 'repeated'),
          },
        },
        OperatorSetIdProto: { fields: { domain: f('string', 1), version: f('int64', 2) } },
        StringStringEntryProto: { fields: { key: f('string', 1), value: f('string', 2) } },
        ModelProto: {
          fields: {
            irVersion: f('int64', 1),
            producerName: f('string', 2),
            producerVersion: f('string', 3),
            docString: f('string', 6),
            graph: f('GraphProto', 7),
            opsetImport: f('OperatorSetIdProto', 8, 'repeated'),
            metadataProps: f('StringStringEntryProto', 14, 'repeated'),
          },
        },
      },
    },
  },
};

/** ONNX's TensorProto.DataType.FLOAT and AttributeProto.AttributeType values we use. */
export const ONNX_FLOAT = 1;
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;

/** The ModelProto message type, ready to encode. */
export const ModelProto = protobuf.Root.fromJSON(DESCRIPTOR).lookupType('onnx.ModelProto');
