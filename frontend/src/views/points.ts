// A bordered disc drawn as one WebGL point per node: the node program of
// big scopes. @sigma/node-border and sigma's circles draw each node as an
// instanced quad, and so does sigma's default edge program; without a GPU
// (Chromium's software WebGL) instancing is slow: measured at 20,000 nodes
// and 100,000 ties, ~0.6 s a frame for the bordered nodes (even 1 px
// wide) and ~0.8 s for the rectangle ties. Points (and sigma's line ties)
// are not instanced: ~10 ms each for the same scene, plus the pixels
// covered. Same attributes as the bordered program: `color`,
// `borderColor`, `borderSize` (a share of the radius).
//
// While the camera moves, the program skips its picking pass (the hidden
// image sigma reads to find the node under the mouse): nothing is hovered
// or clicked mid-pan, and at 20,000 nodes that pass is a third of the
// frame. The first still frame draws it again.
import type { Attributes } from "graphology-types";
import type Sigma from "sigma";
import { NodeProgram, type ProgramInfo } from "sigma/rendering";
import type { NodeDisplayData, RenderParams } from "sigma/types";
import { floatColor } from "sigma/utils";

/** Sigma's own test of a moving camera (the one hideLabelsOnMove uses), touch included. */
function cameraMoving<N extends Attributes, E extends Attributes, G extends Attributes>(
  sigma: Sigma<N, E, G>): boolean {
  const mouse = sigma.getMouseCaptor();
  return sigma.getCamera().isAnimated() || mouse.isMoving || mouse.draggedEvents > 0
    || mouse.currentWheelDirection !== 0 || sigma.getTouchCaptor().isMoving;
}

type BorderedData = NodeDisplayData & { borderColor?: string; borderSize?: number };

const VERTEX = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec4 a_borderColor;
attribute vec2 a_position;
attribute float a_size;
attribute float a_borderSize;

uniform float u_sizeRatio;
uniform float u_pixelRatio;
uniform mat3 u_matrix;

varying vec4 v_color;
varying vec4 v_borderColor;
varying float v_border;
varying float v_feather;

const float bias = 255.0 / 254.0;

void main() {
  gl_Position = vec4((u_matrix * vec3(a_position, 1)).xy, 0, 1);
  gl_PointSize = a_size / u_sizeRatio * u_pixelRatio * 2.0;
  // In point coordinates (the radius is 0.5): the ring's width, one pixel of antialiasing.
  v_border = 0.5 * a_borderSize;
  v_feather = 1.0 / gl_PointSize;
  #ifdef PICKING_MODE
  v_color = a_id;
  v_borderColor = a_id;
  #else
  v_color = a_color;
  v_borderColor = a_borderColor;
  #endif
  v_color.a *= bias;
  v_borderColor.a *= bias;
}
`;

const FRAGMENT = /* glsl */ `
precision mediump float;

varying vec4 v_color;
varying vec4 v_borderColor;
varying float v_border;
varying float v_feather;

void main(void) {
  float dist = 0.5 - length(gl_PointCoord - vec2(0.5, 0.5));
  #ifdef PICKING_MODE
  gl_FragColor = dist > 0.0 ? v_color : vec4(0.0);
  #else
  vec4 inner = mix(v_borderColor, v_color, smoothstep(v_border - v_feather, v_border, dist));
  gl_FragColor = mix(vec4(0.0), inner, clamp(dist / v_feather, 0.0, 1.0));
  #endif
}
`;

const { FLOAT, UNSIGNED_BYTE, POINTS } = WebGLRenderingContext;
const UNIFORMS = ["u_sizeRatio", "u_pixelRatio", "u_matrix"] as const;
type Uniform = (typeof UNIFORMS)[number];

export class NodePointBorderProgram<N extends Attributes = Attributes, E extends Attributes = Attributes,
  G extends Attributes = Attributes> extends NodeProgram<Uniform, N, E, G> {
  getDefinition() {
    return {
      VERTICES: 1,
      VERTEX_SHADER_SOURCE: VERTEX,
      FRAGMENT_SHADER_SOURCE: FRAGMENT,
      METHOD: POINTS,
      UNIFORMS,
      ATTRIBUTES: [
        { name: "a_position", size: 2, type: FLOAT },
        { name: "a_size", size: 1, type: FLOAT },
        { name: "a_borderSize", size: 1, type: FLOAT },
        { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_borderColor", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
      ],
    };
  }

  processVisibleItem(nodeIndex: number, startIndex: number, data: BorderedData): void {
    const array = this.array;
    let i = startIndex;
    array[i++] = data.x;
    array[i++] = data.y;
    array[i++] = data.size;
    array[i++] = data.borderSize ?? 0;
    array[i++] = floatColor(data.color);
    array[i++] = floatColor(data.borderColor ?? data.color);
    array[i] = nodeIndex;
  }

  override render(params: RenderParams): void {
    const pick = this.pickProgram;
    if (!pick || !cameraMoving(this.renderer)) {
      super.render(params);
      return;
    }
    this.pickProgram = null;
    try {
      super.render(params);
    } finally {
      this.pickProgram = pick;
    }
  }

  setUniforms({ sizeRatio, pixelRatio, matrix }: RenderParams, { gl, uniformLocations }: ProgramInfo<Uniform>): void {
    gl.uniform1f(uniformLocations.u_pixelRatio, pixelRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio, sizeRatio);
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, matrix);
  }
}
