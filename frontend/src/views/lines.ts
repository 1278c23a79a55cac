// The ties of big scopes: one 1 px WebGL line a tie (like sigma's
// EdgeLineProgram, not instanced: cheap without a GPU), with two changes:
// - the zoom rule of ../ties.ts, applied in the vertex shader: a tie that is
//   not drawn at this zoom has both ends moved outside the clip volume, so
//   it costs no pixels (its length and other end are per-vertex attributes;
//   nothing is re-indexed when the camera moves);
// - `hidden()`: while the camera moves the ties are not drawn at all (what
//   sigma's hideEdgesOnMove does, but without its full re-index of the graph
//   on every mouse release: ~0.2 s at 100,000 ties).
// A tie whose display data says `keep` (emphasised by the map) is always drawn.
import type { Attributes } from "graphology-types";
import { EdgeProgram, type ProgramInfo } from "sigma/rendering";
import type { EdgeDisplayData, NodeDisplayData, RenderParams } from "sigma/types";
import { floatColor } from "sigma/utils";

import { maxTieLength, SHORT_TIE } from "../ties";

export type TieDisplayData = EdgeDisplayData & { keep?: boolean };

const VERTEX = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute vec2 a_other;
attribute float a_length;

uniform mat3 u_matrix;
uniform float u_shortTie;
uniform float u_maxLength;

varying vec4 v_color;

const float bias = 255.0 / 254.0;

bool onScreen(vec2 p) {
  return abs(p.x) <= 1.0 && abs(p.y) <= 1.0;
}

void main() {
  vec2 p = (u_matrix * vec3(a_position, 1)).xy;
  vec2 q = (u_matrix * vec3(a_other, 1)).xy;
  // Both ends compute the same answer: a tie is drawn whole or not at all.
  bool drawn = a_length <= u_shortTie || (a_length <= u_maxLength && (onScreen(p) || onScreen(q)));
  gl_Position = drawn ? vec4(p, 0, 1) : vec4(2.0, 2.0, 2.0, 1.0);

  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

const FRAGMENT = /* glsl */ `
precision mediump float;

varying vec4 v_color;

void main(void) {
  gl_FragColor = v_color;
}
`;

const { FLOAT, UNSIGNED_BYTE, LINES } = WebGLRenderingContext;
const UNIFORMS = ["u_matrix", "u_shortTie", "u_maxLength"] as const;
type Uniform = (typeof UNIFORMS)[number];

/** The program class, with `hidden()` telling when not to draw the ties at all. */
export function createTieLineProgram<N extends Attributes = Attributes, E extends Attributes = Attributes,
  G extends Attributes = Attributes>(hidden: () => boolean) {
  return class TieLineProgram extends EdgeProgram<Uniform, N, E, G> {
    getDefinition() {
      return {
        VERTICES: 2,
        VERTEX_SHADER_SOURCE: VERTEX,
        FRAGMENT_SHADER_SOURCE: FRAGMENT,
        METHOD: LINES,
        UNIFORMS,
        ATTRIBUTES: [
          { name: "a_position", size: 2, type: FLOAT },
          { name: "a_other", size: 2, type: FLOAT },
          { name: "a_length", size: 1, type: FLOAT },
          { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
        ],
      };
    }

    /** Positions are sigma's normalised ones: the map's extent is 1, so a
     * length is already a share of it. */
    processVisibleItem(edgeIndex: number, startIndex: number, source: NodeDisplayData, target: NodeDisplayData,
      data: TieDisplayData): void {
      const array = this.array;
      const length = data.keep ? 0 : Math.hypot(target.x - source.x, target.y - source.y);
      const color = floatColor(data.color);
      let i = startIndex;
      // The source's vertex, then the target's: each knows the other end.
      array[i++] = source.x;
      array[i++] = source.y;
      array[i++] = target.x;
      array[i++] = target.y;
      array[i++] = length;
      array[i++] = color;
      array[i++] = edgeIndex;
      array[i++] = target.x;
      array[i++] = target.y;
      array[i++] = source.x;
      array[i++] = source.y;
      array[i++] = length;
      array[i++] = color;
      array[i] = edgeIndex;
    }

    setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo<Uniform>): void {
      gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
      gl.uniform1f(uniformLocations.u_shortTie, SHORT_TIE);
      // Infinity (zoomed in far enough for every tie) as a plain large float.
      gl.uniform1f(uniformLocations.u_maxLength, Math.min(maxTieLength(params.zoomRatio), 1e9));
    }

    override render(params: RenderParams): void {
      if (hidden()) return;
      super.render(params);
    }
  };
}
