import { strict as assert } from 'node:assert';
import { createEpisode, stepEpisode } from '../sim/episode';
import { extrinsics, intrinsics, makeCamera, project, unprojectToTable } from '../sim/camera';
import { FIXED_MASK_IDS, renderFrame } from '../sim/render';
import { COLOUR_RGB, hueDistance, hueOf } from '../sim/palette';
import { CHROMATIC_COLOURS, isSource } from '../sim/world';
import { rotateYawTilt } from '../sim/vec';
import type { SceneObject } from '../sim/types';
import type { Frame } from '../sim/render';

/** Pixel bounding box of an object's box (footprint x height), widened by a pixel. */
function projectedBox(frame: Frame, o: SceneObject): { u0: number; u1: number; v0: number; v1: number } {
  const [sx, sy, h] = o.size;
  const hx = sx / 2 + 0.03; // handles and spouts stick out a little
  const hy = sy / 2 + 0.03;
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  for (const cx of [-hx, hx]) for (const cy of [-hy, hy]) for (const cz of [0, h + 0.03]) {
    const p = rotateYawTilt({ x: cx, y: cy, z: cz }, o.yaw, 0);
    const px = project(frame.camera, { x: o.position.x + p.x, y: o.position.y + p.y, z: o.position.z + p.z })!;
    u0 = Math.min(u0, px.u); u1 = Math.max(u1, px.u); v0 = Math.min(v0, px.v); v1 = Math.max(v1, px.v);
  }
  return { u0: u0 - 1, u1: u1 + 1, v0: v0 - 1, v1: v1 + 1 };
}

describe('camera and renderer', () => {
  it('puts every object pixel of the mask inside the projection of that object', () => {
    for (const scenario of ['kitchen', 'factory', 'tabletop'] as const) {
      for (const seed of [1, 2, 3]) {
        const ep = createEpisode({ scenario, seed });
        const frame = renderFrame(ep.spec.scene, ep.state, makeCamera({ width: 160, height: 120 }));
        const seen = new Set<number>();
        for (let i = 0; i < frame.mask.length; i++) {
          const id = frame.mask[i]!;
          if (id < FIXED_MASK_IDS.length) continue;
          seen.add(id);
          const o = ep.spec.scene.objects[id - FIXED_MASK_IDS.length]!;
          const b = projectedBox(frame, o);
          const u = (i % frame.width) + 0.5;
          const v = Math.floor(i / frame.width) + 0.5;
          assert.ok(u >= b.u0 && u <= b.u1 && v >= b.v0 && v <= b.v1, `${o.id} pixel (${u}, ${v}) outside its box`);
        }
        assert.ok(seen.size >= ep.spec.scene.objects.length - 1, `${scenario} ${seed}: only ${seen.size} objects visible`);
      }
    }
  });

  it("shows a uniquely coloured object's pixels in that colour's hue", () => {
    let checked = 0;
    for (const scenario of ['kitchen', 'factory', 'tabletop'] as const) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const ep = createEpisode({ scenario, seed });
        const frame = renderFrame(ep.spec.scene, ep.state, makeCamera({ width: 480, height: 360 }));
        const objects = ep.spec.scene.objects;
        objects.forEach((o, k) => {
          if (!CHROMATIC_COLOURS.includes(o.colour) || isSource(o.kind)) return;
          if (objects.filter((x) => x.colour === o.colour).length > 1) return;
          const want = hueOf(...COLOUR_RGB[o.colour]);
          let total = 0;
          let close = 0;
          for (let i = 0; i < frame.mask.length; i++) {
            if (frame.mask[i] !== k + FIXED_MASK_IDS.length) continue;
            total += 1;
            const h = hueOf(frame.rgb[3 * i]!, frame.rgb[3 * i + 1]!, frame.rgb[3 * i + 2]!);
            if (!Number.isNaN(h) && hueDistance(h, want) <= 30) close += 1;
          }
          if (total < 20) return;
          assert.ok(close / total > 0.6, `${o.colour} ${o.kind}: ${close}/${total} pixels of its hue`);
          checked += 1;
        });
      }
    }
    assert.ok(checked >= 10, `only ${checked} objects checked`);
  });

  it('shows the person and the robot in the instance mask, with their own ids', () => {
    const ep = createEpisode({ scenario: 'kitchen', seed: 0 });
    const frame = renderFrame(ep.spec.scene, ep.state, makeCamera({ width: 96, height: 96 }));
    assert.deepEqual(frame.entityIds.slice(0, 5), ['', 'table', 'conveyor', 'robot', 'person']);
    const count = (id: string): number => frame.mask.filter((m) => frame.entityIds[m] === id).length;
    assert.ok(count('person') > 50 && count('robot') > 50 && count('table') > 500, `${count('person')} ${count('robot')} ${count('table')}`);
    assert.equal(frame.rgb.length, 96 * 96 * 3);
    assert.equal(frame.mask.length, 96 * 96);
  });

  it('shows the defect of a defective gear as dark pixels that a good gear lacks', () => {
    const ep = createEpisode({ scenario: 'factory', seed: 3 });
    const darkShare = (o: SceneObject): number => {
      const camera = makeCamera({ width: 160, height: 120, position: { x: o.position.x - 0.2, y: o.position.y, z: 0.3 }, lookAt: o.position, fovYDeg: 35 });
      const frame = renderFrame(ep.spec.scene, null, camera);
      const k = ep.spec.scene.objects.indexOf(o) + FIXED_MASK_IDS.length;
      let own = 0;
      let dark = 0;
      for (let i = 0; i < frame.mask.length; i++) {
        if (frame.mask[i] !== k) continue;
        own += 1;
        if (frame.rgb[3 * i]! + frame.rgb[3 * i + 1]! + frame.rgb[3 * i + 2]! < 40) dark += 1;
      }
      return dark / own;
    };
    const gears = ep.spec.scene.objects.filter((o) => o.kind === 'gear' && o.colour !== 'black');
    const defective = gears.find((g) => g.state === 'defective');
    const good = gears.find((g) => g.state === 'good');
    assert.ok(defective && good);
    assert.ok(darkShare(defective) > 0.02, `defect share ${darkShare(defective)}`);
    assert.ok(darkShare(good) < 0.005, `good gear dark share ${darkShare(good)}`);
  });

  it('lights scenes differently from seed to seed', () => {
    const mean = (seed: number): number => {
      const ep = createEpisode({ scenario: 'tabletop', seed });
      const f = renderFrame(ep.spec.scene, ep.state, makeCamera({ width: 64, height: 48 }));
      return f.rgb.reduce((a, b) => a + b, 0) / f.rgb.length;
    };
    const means = [1, 2, 3, 4, 5].map(mean);
    assert.ok(Math.max(...means) - Math.min(...means) > 10, means.join(' '));
  });

  it('projects a table point to a pixel and back to the same point', () => {
    for (const [w, h] of [[96, 96], [160, 120], [480, 360]] as const) {
      const camera = makeCamera({ width: w, height: h, jitter: 0.02, jitterSeed: 5 });
      for (const p of [{ x: 0, y: 0, z: 0 }, { x: 0.3, y: -0.4, z: 0 }, { x: -0.35, y: 0.5, z: 0 }, { x: 0.1, y: 0.2, z: 0.08 }]) {
        const px = project(camera, p)!;
        const back = unprojectToTable(camera, px.u, px.v, p.z)!;
        assert.ok(Math.hypot(back.x - p.x, back.y - p.y, back.z - p.z) < 1e-9, `${w}x${h} ${JSON.stringify(p)}`);
      }
    }
  });

  it('agrees with its intrinsic and extrinsic matrices', () => {
    const camera = makeCamera({ width: 160, height: 120 });
    const K = intrinsics(camera);
    const { rotation: R, translation: t } = extrinsics(camera);
    const p = { x: 0.2, y: -0.1, z: 0.05 };
    const c = [0, 1, 2].map((r) => R[3 * r]! * p.x + R[3 * r + 1]! * p.y + R[3 * r + 2]! * p.z + t[r]!);
    const u = (K[0]! * c[0]! + K[2]! * c[2]!) / c[2]!;
    const v = (K[4]! * c[1]! + K[5]! * c[2]!) / c[2]!;
    const px = project(camera, p)!;
    assert.ok(Math.abs(u - px.u) < 1e-9 && Math.abs(v - px.v) < 1e-9);
  });

  it('sees, from the robot head, the person across the table at the top and the near edge at the bottom', () => {
    const camera = makeCamera({ width: 160, height: 120 });
    const chest = project(camera, { x: 0.78, y: 0, z: 0.1 })!;
    const nearEdge = project(camera, { x: -0.45, y: 0, z: 0 })!;
    assert.ok(chest.v > 0 && chest.v < 30, `person at v=${chest.v}`);
    assert.ok(nearEdge.v > 80 && nearEdge.v < 120, `near edge at v=${nearEdge.v}`);
  });

  it('rejects image sizes and fields of view it cannot render', () => {
    assert.throws(() => makeCamera({ width: 4, height: 96 }), /image size must be whole pixels between 8 and 4096, got 4x96/);
    assert.throws(() => makeCamera({ width: 96, height: 96, fovYDeg: 180 }), /fovYDeg must be in \(5, 150\), got 180/);
  });

  it('draws the water a pour puts into the cup', () => {
    const ep = createEpisode({ scenario: 'kitchen', seed: 3 });
    let s = ep.state;
    // After the pour, once the source is back in its place and no longer hides the cup.
    while (!(s.poured.length > 0 && s.plan[s.stepIndex]?.action === 'reach') && s.t < 30) s = stepEpisode(ep.spec, s);
    const task = ep.spec.task;
    assert.equal(task.scenario, 'kitchen');
    const k = ep.spec.scene.objects.findIndex((o) => task.scenario === 'kitchen' && o.id === task.cup);
    const camera = makeCamera({ width: 480, height: 360 });
    const blueish = (f: Frame): number => {
      let n = 0;
      for (let i = 0; i < f.mask.length; i++) {
        if (f.mask[i] !== k + FIXED_MASK_IDS.length) continue;
        const h = hueOf(f.rgb[3 * i]!, f.rgb[3 * i + 1]!, f.rgb[3 * i + 2]!);
        if (h > 190 && h < 230 && f.rgb[3 * i + 2]! > 100) n += 1;
      }
      return n;
    };
    assert.ok(blueish(renderFrame(ep.spec.scene, s, camera)) > blueish(renderFrame(ep.spec.scene, ep.state, camera)) + 10);
  });
});
